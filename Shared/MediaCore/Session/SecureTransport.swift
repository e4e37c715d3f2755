/// DTLS-SRTP over whatever address ICE validated: shared by the server session
/// (DTLS server) and the client peer (DTLS client). Hands back decrypted RTP/RTCP.
final class SecureTransport {
    enum Inbound {
        case rtp([UInt8])
        case rtcp([UInt8])
    }

    let dtls: DtlsEndpoint
    private(set) var inbound: SrtpContext?
    private(set) var outbound: SrtpContext?
    private(set) var isConnected = false
    var counters = SessionCounters()

    init(role: DtlsRole, certificate: DtlsCertificate, remoteFingerprint: SdpFingerprint?) throws {
        dtls = try DtlsEndpoint(role: role, certificate: certificate,
                                remoteFingerprint: remoteFingerprint.map { ($0.algorithm, $0.hex) })
    }

    /// Feeds one DTLS record; returns datagrams to send and, once, the outcome.
    func handleDtls(_ bytes: [UInt8], now: Double) -> (datagrams: [[UInt8]], event: SessionEvent?) {
        let output = dtls.handle(bytes, now: now)
        switch output.event {
        case .connected(let keys):
            do {
                inbound = try SrtpContext(profile: keys.profile, key: keys.remoteKey, salt: keys.remoteSalt, direction: .inbound)
                outbound = try SrtpContext(profile: keys.profile, key: keys.localKey, salt: keys.localSalt, direction: .outbound)
                isConnected = true
                return (output.datagrams, .connected)
            } catch {
                return (output.datagrams, .failed(code: "srtp_failed", message: "\(error)"))
            }
        case .failed(let error):
            return (output.datagrams, .failed(code: error == .fingerprintMismatch ? "fingerprint_mismatch" : "dtls_failed",
                                              message: "\(error)"))
        case .closed:
            return (output.datagrams, .closed)
        case nil:
            return (output.datagrams, nil)
        }
    }

    /// Decrypts an SRTP or SRTCP packet (told apart by the RFC 5761 payload-type range).
    func unprotect(_ bytes: [UInt8]) -> Inbound? {
        guard let inbound else {
            counters.droppedBeforeKeys += 1
            return nil
        }
        let isRtcp = bytes.count > 1 && (192...223).contains(bytes[1])
        do {
            return isRtcp ? .rtcp(try inbound.unprotectRtcp(bytes)) : .rtp(try inbound.unprotectRtp(bytes))
        } catch {
            counters.droppedSrtpAuth += 1
            return nil
        }
    }

    func protectRtp(_ packet: [UInt8]) -> [UInt8]? {
        try? outbound?.protectRtp(packet)
    }

    func protectRtcp(_ packet: [UInt8]) -> [UInt8]? {
        try? outbound?.protectRtcp(packet)
    }
}
