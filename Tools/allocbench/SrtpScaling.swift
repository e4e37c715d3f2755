import MediaCore

/// CPU per SRTP protect as the number of live SRTP contexts grows, sending one
/// packet on each context in turn as a fan-out does, so every context is as
/// cache-cold as in a big room. Debian's libsrtp runs on NSS, whose softoken looks
/// every key and session up in hash chains; our GCM path keys OpenSSL once.
enum SrtpScaling {
    static func microsPerProtect(contexts count: Int, engine: SrtpContext.RtpEngine,
                                 packets: Int = 40_000) throws -> Double {
        let key = [UInt8](repeating: 7, count: 16), salt = [UInt8](repeating: 9, count: 12)
        let senders = try (0..<count).map { _ in
            try SrtpContext(profile: .aeadAes128Gcm, key: key, salt: salt, direction: .outbound, rtpEngine: engine)
        }
        var plain = RtpPacket(payloadType: 111, sequenceNumber: 1, timestamp: 960, ssrc: 1234,
                              payload: [UInt8](repeating: 0x55, count: 80)).serialize()
        let rounds = max(2, packets / count)
        var started = ThreadCpuClock.now()
        for round in 0..<rounds {
            // The first round sets up each context's stream: not per-packet cost.
            if round == 1 { started = ThreadCpuClock.now() }
            // A fresh sequence number each round: neither engine protects one twice.
            plain[2] = UInt8(truncatingIfNeeded: round >> 8)
            plain[3] = UInt8(truncatingIfNeeded: round)
            for sender in senders {
                _ = try sender.protectRtp(writing: { SrtpContext.copy(plain, into: $0) }) { $0.count }
            }
        }
        let elapsed = ThreadCpuClock.now() - started
        return elapsed * 1e6 / Double((rounds - 1) * count)
    }
}
