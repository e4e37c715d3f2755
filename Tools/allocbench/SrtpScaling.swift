import MediaCore

/// CPU per SRTP protect as the number of live SRTP contexts grows. Debian's libsrtp
/// runs on NSS, whose softoken looks every key and session up in hash chains, so the
/// cost of a packet can depend on how many participants the process holds.
enum SrtpScaling {
    static func microsPerProtect(liveContexts: Int, packets: Int = 20_000 /* < 65,536: one sequence cycle */) throws -> Double {
        let key = [UInt8](repeating: 7, count: 16), salt = [UInt8](repeating: 9, count: 12)
        let others = try (0..<liveContexts).map { _ in
            try SrtpContext(profile: .aeadAes128Gcm, key: key, salt: salt, direction: .outbound)
        }
        let sender = try SrtpContext(profile: .aeadAes128Gcm, key: key, salt: salt, direction: .outbound)
        var plain = RtpPacket(payloadType: 111, sequenceNumber: 1, timestamp: 960, ssrc: 1234,
                              payload: [UInt8](repeating: 0x55, count: 80)).serialize()
        let started = ThreadCpuClock.now()
        for sequence in 0..<packets {
            // A fresh sequence number each time: libsrtp refuses to protect one twice.
            plain[2] = UInt8(truncatingIfNeeded: sequence >> 8)
            plain[3] = UInt8(truncatingIfNeeded: sequence)
            _ = try sender.protectRtp(writing: { SrtpContext.copy(plain, into: $0) }) { $0.count }
        }
        let elapsed = ThreadCpuClock.now() - started
        withExtendedLifetime(others) {}
        return elapsed * 1e6 / Double(packets)
    }
}
