import XCTest
@testable import MediaCore

final class SrtpContextTests: XCTestCase {
    private func rtpPacket(sequence: UInt16, payload: [UInt8] = Array(repeating: 0xAB, count: 40)) -> [UInt8] {
        [0x80, 111, UInt8(sequence >> 8), UInt8(sequence & 0xFF),
         0, 0, 0x03, 0xC0,  // timestamp 960
         0x12, 0x34, 0x56, 0x78] + payload
    }

    private let rtcpReceiverReport: [UInt8] = [
        0x80, 201, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78,
    ]

    private func pair(_ profile: SrtpProfile) throws -> (SrtpContext, SrtpContext) {
        let key = (0..<profile.keyLength).map { UInt8($0 + 1) }
        let salt = (0..<profile.saltLength).map { UInt8(0xF0 - $0) }
        return (try SrtpContext(profile: profile, key: key, salt: salt, direction: .outbound),
                try SrtpContext(profile: profile, key: key, salt: salt, direction: .inbound))
    }

    func testRtpAndRtcpRoundTripForBothProfiles() throws {
        for profile in [SrtpProfile.aes128CmSha1_80, .aeadAes128Gcm] {
            let (sender, receiver) = try pair(profile)
            let plain = rtpPacket(sequence: 7)
            let protected = try sender.protectRtp(plain)
            XCTAssertEqual(protected.count, plain.count + (profile == .aeadAes128Gcm ? 16 : 10))
            XCTAssertNotEqual(Array(protected[12..<plain.count]), Array(plain[12...]), "payload is encrypted")
            XCTAssertEqual(try receiver.unprotectRtp(protected), plain)

            let protectedRtcp = try sender.protectRtcp(rtcpReceiverReport)
            XCTAssertGreaterThan(protectedRtcp.count, rtcpReceiverReport.count)
            XCTAssertEqual(try receiver.unprotectRtcp(protectedRtcp), rtcpReceiverReport)
        }
    }

    func testTamperedAuthTagIsRejected() throws {
        for profile in [SrtpProfile.aes128CmSha1_80, .aeadAes128Gcm] {
            let (sender, receiver) = try pair(profile)
            var protected = try sender.protectRtp(rtpPacket(sequence: 1))
            protected[protected.count - 1] ^= 0x01
            XCTAssertThrowsError(try receiver.unprotectRtp(protected))
        }
    }

    func testReplayedPacketIsRejected() throws {
        let (sender, receiver) = try pair(.aes128CmSha1_80)
        let protected = try sender.protectRtp(rtpPacket(sequence: 100))
        XCTAssertNoThrow(try receiver.unprotectRtp(protected))
        XCTAssertThrowsError(try receiver.unprotectRtp(protected))
    }

    func testWrongKeyIsRejected() throws {
        let (sender, _) = try pair(.aes128CmSha1_80)
        let other = try SrtpContext(profile: .aes128CmSha1_80, key: Array(repeating: 9, count: 16),
                                    salt: Array(repeating: 9, count: 14), direction: .inbound)
        XCTAssertThrowsError(try other.unprotectRtp(try sender.protectRtp(rtpPacket(sequence: 1))))
    }

    func testShortOrOversizedInputThrowsInsteadOfCrashing() throws {
        let (_, receiver) = try pair(.aeadAes128Gcm)
        for bad in [[], [0x80], Array(repeating: 0x80, count: 11),
                    Array(repeating: 0x80, count: SrtpContext.maximumPacketLength + 1)] as [[UInt8]] {
            XCTAssertThrowsError(try receiver.unprotectRtp(bad))
        }
        XCTAssertThrowsError(try receiver.unprotectRtcp([0x80, 201, 0, 1]))
    }

    func testKeyOfWrongLengthIsRejected() {
        XCTAssertThrowsError(try SrtpContext(profile: .aeadAes128Gcm, key: Array(repeating: 1, count: 16),
                                             salt: Array(repeating: 1, count: 14), direction: .outbound))
    }

    /// The in-place form a server sends from seals exactly what the copying form does,
    /// for both engines, and refuses a buffer without room for the trailer.
    func testProtectingInPlaceMatchesTheCopyingForm() throws {
        for profile in [SrtpProfile.aes128CmSha1_80, .aeadAes128Gcm] {
            let key = (0..<profile.keyLength).map { UInt8($0 + 3) }
            let salt = (0..<profile.saltLength).map { UInt8(0x70 - $0) }
            let copying = try SrtpContext(profile: profile, key: key, salt: salt, direction: .outbound)
            let inPlace = try SrtpContext(profile: profile, key: key, salt: salt, direction: .outbound)
            let receiver = try SrtpContext(profile: profile, key: key, salt: salt, direction: .inbound)
            for sequence in UInt16(1)...3 {
                let plain = rtpPacket(sequence: sequence)
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: plain.count + SrtpContext.trailerRoom, alignment: 1)
                defer { buffer.deallocate() }
                let length = try inPlace.protectRtp(in: buffer) { SrtpContext.copy(plain, into: $0) }
                let sealed = Array(buffer[0..<length])
                XCTAssertEqual(sealed, try copying.protectRtp(plain), "\(profile) packet \(sequence)")
                XCTAssertEqual(try receiver.unprotectRtp(sealed), plain)
            }
            let cramped = UnsafeMutableRawBufferPointer.allocate(byteCount: 40 + SrtpContext.trailerRoom - 1, alignment: 1)
            defer { cramped.deallocate() }
            XCTAssertThrowsError(try inPlace.protectRtp(in: cramped) { SrtpContext.copy(self.rtpPacket(sequence: 9, payload: Array(repeating: 1, count: 28)), into: $0) },
                                 "a 40-byte packet needs the trailer room after it")
        }
    }
}
