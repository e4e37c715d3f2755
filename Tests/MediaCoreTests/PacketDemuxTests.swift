import XCTest
@testable import MediaCore

final class PacketDemuxTests: XCTestCase {
    func testFirstByteRanges() {
        XCTAssertEqual(PacketDemux.classify([0x00, 0x01]), .stun)
        XCTAssertEqual(PacketDemux.classify([0x03]), .stun)
        XCTAssertEqual(PacketDemux.classify([4]), .unknown)
        XCTAssertEqual(PacketDemux.classify([19]), .unknown)
        XCTAssertEqual(PacketDemux.classify([20, 0xFE]), .dtls)
        XCTAssertEqual(PacketDemux.classify([22, 0xFE]), .dtls)
        XCTAssertEqual(PacketDemux.classify([63]), .dtls)
        XCTAssertEqual(PacketDemux.classify([64]), .unknown)
        XCTAssertEqual(PacketDemux.classify([127, 0]), .unknown)
        XCTAssertEqual(PacketDemux.classify([192, 0]), .unknown)
        XCTAssertEqual(PacketDemux.classify([]), .unknown)
    }

    func testRtpVersusRtcpBySecondByte() {
        XCTAssertEqual(PacketDemux.classify([0x80, 111]), .rtp)
        XCTAssertEqual(PacketDemux.classify([0x80, 0x80 | 111]), .rtp) // marker set
        XCTAssertEqual(PacketDemux.classify([0x80, 200]), .rtcp)
        XCTAssertEqual(PacketDemux.classify([0x81, 201]), .rtcp)
        XCTAssertEqual(PacketDemux.classify([0xBF, 223]), .rtcp)
        XCTAssertEqual(PacketDemux.classify([0x80, 191]), .rtp)
        XCTAssertEqual(PacketDemux.classify([0x80, 224]), .rtp)
        XCTAssertEqual(PacketDemux.classify([0x80]), .unknown)
    }
}
