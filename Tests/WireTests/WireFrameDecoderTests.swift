import NIOCore
import NIOEmbedded
import XCTest
@testable import Wire

final class WireFrameDecoderTests: XCTestCase {
    func testFrameSplitAcrossReadsIsReassembled() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireFrameDecoder(maxFrameSize: 1024)))
        let whole = WireTestSupport.frame(#"{"hello":"world"}"#)
        let bytes = whole.getBytes(at: 0, length: whole.readableBytes)!
        // One byte at a time, including the length prefix.
        for byte in bytes {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        var frame = try XCTUnwrap(channel.readInbound(as: ByteBuffer.self))
        XCTAssertEqual(frame.readString(length: frame.readableBytes), #"{"hello":"world"}"#)
        XCTAssertNil(try channel.readInbound(as: ByteBuffer.self))
    }

    func testTwoFramesInOneReadAreBothDelivered() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireFrameDecoder(maxFrameSize: 1024)))
        var both = WireTestSupport.frame("a")
        var second = WireTestSupport.frame("bc")
        both.writeBuffer(&second)
        try channel.writeInbound(both)
        var first = try XCTUnwrap(channel.readInbound(as: ByteBuffer.self))
        var next = try XCTUnwrap(channel.readInbound(as: ByteBuffer.self))
        XCTAssertEqual(first.readString(length: first.readableBytes), "a")
        XCTAssertEqual(next.readString(length: next.readableBytes), "bc")
    }

    func testOversizeFrameIsRefusedBeforeItsBodyArrives() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireFrameDecoder(maxFrameSize: 16)))
        var header = ByteBuffer()
        header.writeInteger(UInt32(17))
        XCTAssertThrowsError(try channel.writeInbound(header)) { error in
            XCTAssertEqual(error as? WireError, .frameTooLarge(length: 17, limit: 16))
        }
    }

    func testEncoderPrefixesLength() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(WireFrameEncoder()))
        try channel.writeOutbound(ByteBuffer(string: "xyz"))
        var out = try XCTUnwrap(channel.readOutbound(as: ByteBuffer.self))
        XCTAssertEqual(out.readInteger(as: UInt32.self), 3)
        XCTAssertEqual(out.readString(length: 3), "xyz")
    }
}
