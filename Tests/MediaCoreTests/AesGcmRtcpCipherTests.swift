import XCTest
@testable import MediaCore

/// Our OpenSSL SRTCP (AEAD_AES_128_GCM, RFC 7714 §9) against libsrtp's, packet
/// for packet: identical bytes, each side reads the other, and replays, forged
/// headers, payloads or indices and unencrypted SRTCP are refused.
final class AesGcmRtcpCipherTests: XCTestCase {
    private let key = (0..<16).map { UInt8(0x51 &+ $0 &* 3) }
    private let salt = (0..<12).map { UInt8(0x0F &+ $0) }

    private func context(_ direction: SrtpContext.Direction, _ engine: SrtpContext.RtpEngine) throws -> SrtpContext {
        try SrtpContext(profile: .aeadAes128Gcm, key: key, salt: salt, direction: direction, rtpEngine: engine)
    }

    /// A receiver report from `ssrc` with one report block, `extra` bytes of padding-free payload after it.
    private func receiverReport(ssrc: UInt32 = 0xCAFE_0001, marker: UInt8 = 0) -> [UInt8] {
        let words = UInt8(7)  // 8-byte header + one 24-byte report block = 32 bytes = 8 words - 1
        return [0x81, 201, 0, words, UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
            + (0..<24).map { UInt8(truncatingIfNeeded: Int(marker) &* 13 &+ $0) }
    }

    func testOurPacketsAreByteForByteLibsrtps() throws {
        let ours = try context(.outbound, .fastest), theirs = try context(.outbound, .libsrtp)
        let reader = try context(.inbound, .libsrtp)
        for step in 0..<20 {
            let plain = receiverReport(marker: UInt8(step))
            let sealed = try ours.protectRtcp(plain)
            XCTAssertEqual(sealed, try theirs.protectRtcp(plain), "packet \(step)")
            XCTAssertEqual(sealed.count, plain.count + 16 + 4)
            XCTAssertEqual(Array(sealed[0..<8]), Array(plain[0..<8]), "the header stays in clear")
            XCTAssertNotEqual(Array(sealed[8..<plain.count]), Array(plain[8...]), "the rest is encrypted")
            XCTAssertEqual(Array(sealed.suffix(4)), [0x80, 0, 0, UInt8(step + 1)], "E flag and an index from 1")
            XCTAssertEqual(try reader.unprotectRtcp(sealed), plain)
        }
    }

    func testWeReadLibsrtpsReportsAndRefuseReplaysAndForgeries() throws {
        let writer = try context(.outbound, .libsrtp), reader = try context(.inbound, .fastest)
        let sealed = try (0..<200).map { try writer.protectRtcp(receiverReport(marker: UInt8($0 % 256))) }
        for packet in sealed[0..<150] { XCTAssertNoThrow(try reader.unprotectRtcp(packet)) }
        for packet in sealed[160...] { XCTAssertNoThrow(try reader.unprotectRtcp(packet)) }
        XCTAssertEqual(try reader.unprotectRtcp(sealed[155]), receiverReport(marker: 155), "late but inside the window")
        XCTAssertThrowsError(try reader.unprotectRtcp(sealed[155]), "replayed")
        XCTAssertThrowsError(try reader.unprotectRtcp(sealed[10]), "older than the 128-packet window")
        var payload = sealed[159], header = sealed[159], index = sealed[159], tag = sealed[159]
        payload[12] ^= 0x01
        header[1] = 200  // a receiver report relabelled as a sender report: the header is authenticated
        index[index.count - 1] ^= 0x02  // the index is authenticated too
        tag[tag.count - 5] ^= 0x80
        for forged in [payload, header, index, tag] { XCTAssertThrowsError(try reader.unprotectRtcp(forged)) }
        XCTAssertEqual(try reader.unprotectRtcp(sealed[159]), receiverReport(marker: 159), "forgeries do not burn the real index")
    }

    func testLibsrtpReadsUsAndEachSenderSsrcHasItsOwnWindow() throws {
        let writer = try context(.outbound, .fastest), reader = try context(.inbound, .libsrtp)
        let ourReader = try context(.inbound, .fastest)
        for ssrc in [UInt32(1), 2, 1, 3] {
            let sealed = try writer.protectRtcp(receiverReport(ssrc: ssrc))
            XCTAssertEqual(try reader.unprotectRtcp(sealed), receiverReport(ssrc: ssrc))
            XCTAssertEqual(try ourReader.unprotectRtcp(sealed), receiverReport(ssrc: ssrc))
        }
    }

    func testUnencryptedShortAndMalformedPacketsThrow() throws {
        let writer = try context(.outbound, .fastest), reader = try context(.inbound, .fastest)
        var unencrypted = try writer.protectRtcp(receiverReport())
        unencrypted[unencrypted.count - 4] &= 0x7F
        var badVersion = try writer.protectRtcp(receiverReport())
        badVersion[0] = 0x41
        let short = Array(try writer.protectRtcp(receiverReport())[0..<27])
        for bad in [unencrypted, badVersion, short, [UInt8](repeating: 0x80, count: 4000)] {
            XCTAssertThrowsError(try reader.unprotectRtcp(bad))
        }
        XCTAssertThrowsError(try writer.protectRtcp([0x41, 201, 0, 1, 0, 0, 0, 1]), "not RTCP version 2")
        XCTAssertThrowsError(try writer.protectRtcp([0x80, 201, 0]), "shorter than a header")
    }

    func testAFullWindowTableRefusesNewSsrcsButKeepsTheOldOnes() throws {
        let writer = try context(.outbound, .libsrtp), reader = try context(.inbound, .fastest)
        for ssrc in 1...UInt32(AesGcmRtcpCipher.maximumStreams) {
            XCTAssertNoThrow(try reader.unprotectRtcp(try writer.protectRtcp(receiverReport(ssrc: ssrc))))
        }
        XCTAssertThrowsError(try reader.unprotectRtcp(try writer.protectRtcp(receiverReport(ssrc: 1000))))
        XCTAssertNoThrow(try reader.unprotectRtcp(try writer.protectRtcp(receiverReport(ssrc: 1))))
    }
}
