import XCTest
@testable import MediaCore

/// Our OpenSSL AES-GCM RTP path against libsrtp's, packet for packet: each
/// side must read what the other wrote, across header extensions, CSRCs and a
/// sequence-number wrap (where the rollover counter enters the nonce).
final class AesGcmRtpCipherTests: XCTestCase {
    private let key = (0..<16).map { UInt8(0x30 + $0) }
    private let salt = (0..<12).map { UInt8(0xC0 - $0) }

    private func context(_ direction: SrtpContext.Direction, _ engine: SrtpContext.RtpEngine) throws -> SrtpContext {
        try SrtpContext(profile: .aeadAes128Gcm, key: key, salt: salt, direction: direction, rtpEngine: engine)
    }

    /// An RTP packet with `csrcs` CSRCs and, optionally, a one-byte-header extension (RFC 6464 level).
    private func rtp(sequence: UInt16, ssrc: UInt32 = 0x1234_5678, csrcs: Int = 0, extended: Bool = false) -> [UInt8] {
        var packet: [UInt8] = [0x80 | (extended ? 0x10 : 0) | UInt8(csrcs), 111, UInt8(sequence >> 8), UInt8(sequence & 0xFF),
                               0, 0, 0x03, 0xC0, UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
        for csrc in 0..<csrcs { packet += [0, 0, 0, UInt8(csrc + 1)] }
        if extended { packet += [0xBE, 0xDE, 0x00, 0x01, 0x10, 0x85, 0, 0] }
        return packet + (0..<60).map { UInt8(truncatingIfNeeded: Int(sequence) &* 7 &+ $0) }
    }

    func testRfc3711KeyDerivationVector() throws {
        // RFC 3711 Appendix B.3.
        let masterKey = hex("E1F97A0D3E018BE0D64FA32C06DE4139"), masterSalt = hex("0EC675AD498AFEEBB6960B3AABE6")
        XCTAssertEqual(try SrtpKeyDerivation.derive(.rtpEncryption, masterKey: masterKey, masterSalt: masterSalt, length: 16),
                       hex("C61E7A93744F39EE10734AFE3FF7A087"))
        XCTAssertEqual(try SrtpKeyDerivation.derive(.rtpSalt, masterKey: masterKey, masterSalt: masterSalt, length: 14),
                       hex("30CBBC08863D8C85D49DB34A9AE1"))
    }

    func testOurPacketsAreByteForByteLibsrtpsAcrossASequenceWrap() throws {
        let ours = try context(.outbound, .fastest), theirs = try context(.outbound, .libsrtp)
        let reader = try context(.inbound, .libsrtp)
        var sequence: UInt16 = 65_530
        for step in 0..<12 {
            let plain = rtp(sequence: sequence, csrcs: step % 3, extended: step % 2 == 0)
            let sealed = try ours.protectRtp(plain)
            XCTAssertEqual(sealed, try theirs.protectRtp(plain), "packet \(step), sequence \(sequence)")
            XCTAssertEqual(try reader.unprotectRtp(sealed), plain)
            sequence &+= 1
        }
    }

    func testWeReadLibsrtpsPacketsAndRefuseReplaysAndForgeries() throws {
        let writer = try context(.outbound, .libsrtp), reader = try context(.inbound, .fastest)
        var sealed: [[UInt8]] = []
        for sequence in UInt16(65_000)..<65_200 { sealed.append(try writer.protectRtp(rtp(sequence: sequence &+ 500, extended: true))) }
        // In order over the wrap, then one late packet still inside the window.
        for packet in sealed[0..<150] { XCTAssertNoThrow(try reader.unprotectRtp(packet)) }
        for packet in sealed[160...] { XCTAssertNoThrow(try reader.unprotectRtp(packet)) }
        XCTAssertEqual(try reader.unprotectRtp(sealed[155]), rtp(sequence: 65_155 &+ 500, extended: true))
        XCTAssertThrowsError(try reader.unprotectRtp(sealed[155]), "replayed")
        XCTAssertThrowsError(try reader.unprotectRtp(sealed[10]), "older than the 128-packet window")
        var forged = sealed[159]
        forged[20] ^= 0x01
        XCTAssertThrowsError(try reader.unprotectRtp(forged), "payload bit flipped")
        var relabelled = sealed[158]
        relabelled[1] = 0x70  // payload type 112: the header is authenticated too
        XCTAssertThrowsError(try reader.unprotectRtp(relabelled))
        XCTAssertNoThrow(try reader.unprotectRtp(sealed[159]), "a forgery does not burn the real packet's index")
    }

    func testLibsrtpReadsUsFromTheFirstPacketOn() throws {
        let writer = try context(.outbound, .fastest), reader = try context(.inbound, .libsrtp)
        for sequence in [UInt16(40_000), 40_001, 40_003] {
            XCTAssertEqual(try reader.unprotectRtp(try writer.protectRtp(rtp(sequence: sequence))), rtp(sequence: sequence))
        }
    }

    func testASenderNeverReusesAnIndex() throws {
        let writer = try context(.outbound, .fastest)
        XCTAssertNoThrow(try writer.protectRtp(rtp(sequence: 10)))
        XCTAssertNoThrow(try writer.protectRtp(rtp(sequence: 11)))
        XCTAssertThrowsError(try writer.protectRtp(rtp(sequence: 11)), "same nonce twice")
        XCTAssertThrowsError(try writer.protectRtp(rtp(sequence: 9)))
        XCTAssertNoThrow(try writer.protectRtp(rtp(sequence: 12)))
        XCTAssertNoThrow(try writer.protectRtp(rtp(sequence: 3, ssrc: 99)), "another SSRC has its own indices")
    }

    func testMalformedPacketsThrow() throws {
        let reader = try context(.inbound, .fastest), writer = try context(.outbound, .fastest)
        var badVersion = rtp(sequence: 1)
        badVersion[0] = 0x40
        var extensionPastEnd = rtp(sequence: 1, extended: true)
        extensionPastEnd[14] = 0xFF
        for bad in [badVersion, extensionPastEnd, Array(rtp(sequence: 1)[0..<27])] {
            XCTAssertThrowsError(try reader.unprotectRtp(bad))
        }
        XCTAssertThrowsError(try writer.protectRtp(badVersion))
        XCTAssertThrowsError(try writer.protectRtp(extensionPastEnd))
    }

    func testAFullStreamTableRefusesNewSsrcsButKeepsTheOldOnes() throws {
        let writer = try context(.outbound, .libsrtp), reader = try context(.inbound, .fastest)
        for ssrc in 1...UInt32(AesGcmRtpCipher.maximumStreams) {
            XCTAssertNoThrow(try reader.unprotectRtp(try writer.protectRtp(rtp(sequence: 5, ssrc: ssrc))))
        }
        XCTAssertThrowsError(try reader.unprotectRtp(try writer.protectRtp(rtp(sequence: 5, ssrc: 1000))))
        XCTAssertNoThrow(try reader.unprotectRtp(try writer.protectRtp(rtp(sequence: 6, ssrc: 1))))
    }

    private func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map {
            let start = text.index(text.startIndex, offsetBy: $0)
            return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
        }
    }
}
