import XCTest
@testable import MediaCore

final class RtcpTests: XCTestCase {
    let block = ReportBlock(ssrc: 0xAABB_CCDD, fractionLost: 25, cumulativeLost: -3, extendedHighestSequence: 0x1_0005,
                            jitter: 480, lastSenderReport: 0x1234_5678, delaySinceLastSenderReport: 65536)

    func testReportBlockLayoutAndNegativeLoss() throws {
        var bytes: [UInt8] = []
        block.write(to: &bytes)
        XCTAssertEqual(bytes.count, ReportBlock.size)
        XCTAssertEqual(Array(bytes[4..<8]), [25, 0xFF, 0xFF, 0xFD])
        var reader = ByteReader(bytes)
        XCTAssertEqual(ReportBlock(reader: &reader), block)
        XCTAssertEqual(ReportBlock(ssrc: 1, fractionLost: 0, cumulativeLost: 99_999_999, extendedHighestSequence: 0,
                                   jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0).cumulativeLost, 0x7F_FFFF)
    }

    func testSenderReportRoundTrip() throws {
        let report = SenderReport(ssrc: 1, ntpTimestamp: 0xE000_0000_8000_0000, rtpTimestamp: 960, packetCount: 50,
                                  octetCount: 4000, reportBlocks: [block])
        let bytes = report.serialize()
        XCTAssertEqual(bytes.count, 28 + 24)
        XCTAssertEqual(bytes[0], 0x81)
        XCTAssertEqual(bytes[1], 200)
        XCTAssertEqual(Array(bytes[2..<4]), [0, 12])
        XCTAssertEqual(PacketDemux.classify(bytes), .rtcp)
        XCTAssertEqual(try RtcpCompound.parse(bytes), [.senderReport(report)])
        XCTAssertEqual(report.compactNtp, 0x0000_8000)
    }

    func testReceiverReportRoundTrip() throws {
        let report = ReceiverReport(ssrc: 9, reportBlocks: [block, block])
        XCTAssertEqual(try RtcpCompound.parse(report.serialize()), [.receiverReport(report)])
        let empty = ReceiverReport(ssrc: 9)
        XCTAssertEqual(empty.serialize().count, 8)
        XCTAssertEqual(try RtcpCompound.parse(empty.serialize()), [.receiverReport(empty)])
    }

    func testSourceDescriptionRoundTrip() throws {
        for cname in ["", "a", "ab", "abc", "abcd", "{1b6e5c0d-cdf3-4ce0-8962-4a4af9507963}"] {
            let sdes = SourceDescription(ssrc: 77, cname: cname)
            let bytes = sdes.serialize()
            XCTAssertEqual(bytes.count % 4, 0)
            let parsed = try RtcpCompound.parse(bytes)
            XCTAssertEqual(parsed, [.sourceDescription(sdes)], cname)
            if case .sourceDescription(let back) = parsed.first { XCTAssertEqual(back.cname(for: 77), cname) }
        }
        let two = SourceDescription(chunks: [.init(ssrc: 1, items: [.init(type: 1, value: [65])]),
                                             .init(ssrc: 2, items: [.init(type: 1, value: [66, 67]), .init(type: 6, value: [1])])])
        XCTAssertEqual(try RtcpCompound.parse(two.serialize()), [.sourceDescription(two)])
        XCTAssertNil(two.cname(for: 3))
    }

    func testGoodbyeRoundTrip() throws {
        for bye in [Goodbye(ssrcs: [1, 2]), Goodbye(ssrcs: [3], reason: "left the room")] {
            XCTAssertEqual(try RtcpCompound.parse(bye.serialize()), [.goodbye(bye)])
        }
    }

    func testCompoundSkipsUnknownTypes() throws {
        let nack = RtcpPacket.other(packetType: 205, count: 1, body: [0, 0, 0, 1, 0, 0, 0, 2, 0, 5, 0, 0])
        let pli = RtcpPacket.other(packetType: 206, count: 1, body: [0, 0, 0, 1, 0, 0, 0, 2])
        let packets: [RtcpPacket] = [.receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [block])), nack, pli,
                                     .sourceDescription(SourceDescription(ssrc: 1, cname: "x")), .goodbye(Goodbye(ssrcs: [1]))]
        let bytes = RtcpCompound.serialize(packets)
        XCTAssertEqual(try RtcpCompound.parse(bytes), packets)
    }

    func testCompoundRejectsTruncationAndHandlesPadding() throws {
        let bytes = ReceiverReport(ssrc: 1, reportBlocks: [block]).serialize()
        XCTAssertThrowsError(try RtcpCompound.parse(Array(bytes.dropLast())))
        XCTAssertThrowsError(try RtcpCompound.parse([]))
        // Count claims 2 blocks, body holds 1.
        var lying = bytes
        lying[0] = 0x82
        XCTAssertThrowsError(try RtcpCompound.parse(lying))
        // Padding: P bit set, 4 padding bytes counted in the length.
        var padded = ReceiverReport(ssrc: 5).serialize()
        padded[0] |= 0x20
        padded[3] += 1
        padded += [0, 0, 0, 4]
        XCTAssertEqual(try RtcpCompound.parse(padded), [.receiverReport(ReceiverReport(ssrc: 5))])
    }
}
