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
    /// When set, a finished handshake parks its keys in `pendingKeys` for the owner
    /// to build the SRTP contexts elsewhere and `install` them; else they are built here.
    var defersSrtp = false
    var pendingKeys: SrtpKeyMaterial?

    init(role: DtlsRole, certificate: DtlsCertificate, remoteFingerprint: SdpFingerprint?) throws {
        dtls = try DtlsEndpoint(role: role, certificate: certificate,
                                remoteFingerprint: remoteFingerprint.map { ($0.algorithm, $0.hex) })
    }

    /// Feeds one DTLS record; returns datagrams to send and, once, the outcome.
    func handleDtls(_ bytes: [UInt8], now: Double) -> (datagrams: [[UInt8]], event: SessionEvent?) {
        let output = dtls.handle(bytes, now: now)
        switch output.event {
        case .connected(let keys):
            if defersSrtp {
                pendingKeys = keys
                return (output.datagrams, nil)
            }
            do {
                install(try SrtpPair(keys: keys))
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

    /// What protecting an outbound packet touches: this object, then the SRTP context's.
    var sendPathMemory: [UnsafeRawPointer] {
        [UnsafeRawPointer(addressOf: self)] + (outbound?.hotMemory ?? [])
    }

    func install(_ pair: SrtpPair) {
        inbound = pair.inbound
        outbound = pair.outbound
        pendingKeys = nil
        isConnected = true
    }

    /// Decrypts an SRTP or SRTCP packet (told apart by the RFC 5761 payload-type range).
    func unprotect(_ bytes: [UInt8]) -> Inbound? {
        withUnprotected(bytes) { isRtcp, plain in isRtcp ? .rtcp(Array(plain)) : .rtp(Array(plain)) }
    }

    /// Decrypts in the SRTP context's own buffer; `body` sees the plaintext (valid only
    /// during the call). nil when the packet was dropped (no keys yet, or auth failed).
    func withUnprotected<R>(_ bytes: [UInt8], _ body: (_ isRtcp: Bool, UnsafeRawBufferPointer) -> R) -> R? {
        guard let inbound else {
            counters.droppedBeforeKeys += 1
            return nil
        }
        let isRtcp = bytes.count > 1 && (192...223).contains(bytes[1])
        do {
            return isRtcp ? try inbound.unprotectRtcp(bytes) { body(true, $0) } : try inbound.unprotectRtp(bytes) { body(false, $0) }
        } catch {
            counters.droppedSrtpAuth += 1
            return nil
        }
    }

    func protectRtp(_ packet: [UInt8]) -> [UInt8]? {
        try? outbound?.protectRtp(packet)
    }

    /// Protects the RTP packet `write` puts in the context's buffer; `body` sees the SRTP packet.
    func protectRtp<R>(writing write: (UnsafeMutableRawBufferPointer) -> Int, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        try? outbound?.protectRtp(writing: write, body)
    }

    func protectRtcp(_ packet: [UInt8]) -> [UInt8]? {
        try? outbound?.protectRtcp(packet)
    }
}
