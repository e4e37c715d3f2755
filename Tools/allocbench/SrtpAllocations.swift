import MediaCore

/// Allocations the SRTP layer itself makes per packet: none for GCM (OpenSSL,
/// keyed once), ~14 for AES-CM, which Debian's libsrtp does on NSS with a crypto
/// context per call. The floor under our own figures.
enum SrtpAllocations {
    static func measure(profile: SrtpProfile, packets: Int = 1_000) throws -> (protect: Double, unprotect: Double) {
        let key = [UInt8](repeating: 7, count: profile.keyLength)
        let salt = [UInt8](repeating: 9, count: profile.saltLength)
        let sender = try SrtpContext(profile: profile, key: key, salt: salt, direction: .outbound)
        let receiver = try SrtpContext(profile: profile, key: key, salt: salt, direction: .inbound)
        var protect = AllocationCounter()
        var unprotect = AllocationCounter()
        for sequence in 0..<packets {
            let plain = RtpPacket(payloadType: 111, sequenceNumber: UInt16(truncatingIfNeeded: sequence), timestamp: UInt32(sequence * 960),
                                  ssrc: 1234, payload: [UInt8](repeating: 0x55, count: 80)).serialize()
            let writer: (UnsafeMutableRawBufferPointer) -> Int = { SrtpContext.copy(plain, into: $0) }
            let protected = try protect.measure { try sender.protectRtp(writing: writer) { Array($0) } }
            _ = try unprotect.measure { try receiver.unprotectRtp(protected) { $0.count } }
        }
        // The protect side's count includes the one array made to carry the packet out.
        return (protect.perCall() - 1, unprotect.perCall())
    }
}
