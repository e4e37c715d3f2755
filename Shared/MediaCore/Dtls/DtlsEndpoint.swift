import COpenSSL
import CShim

/// One side of a DTLS 1.2 handshake for DTLS-SRTP (RFC 5764), sans-IO:
/// datagrams go in and out as byte arrays, time is passed in.
///
/// OpenSSL runs over two memory BIOs. The peer's self-signed certificate is
/// accepted during the handshake and then checked against the SDP
/// fingerprint, the only authentication WebRTC has.
public final class DtlsEndpoint {
    public static let mtu = 1200
    static let srtpProfiles = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80"
    static let exporterLabel = "EXTRACTOR-dtls_srtp"

    enum State { case idle, handshaking, connected, failed, closed }

    public let role: DtlsRole
    private let ssl: OpaquePointer
    private let readBio: OpaquePointer
    private let writeBio: OpaquePointer
    private let expected: DtlsFingerprint?
    private(set) var state = State.idle
    private var timer = DtlsRetransmitTimer()
    /// The last handshake flight sent, resent verbatim when OpenSSL's own
    /// wall-clock timer has not expired yet (a test fast-forwarding `now`).
    private var lastFlight: [[UInt8]] = []

    /// - Parameter remoteFingerprint: from the peer's `a=fingerprint`; nil
    ///   fails every handshake, since nothing else authenticates the peer.
    public init(role: DtlsRole, certificate: DtlsCertificate,
                remoteFingerprint: (algorithm: String, value: String)?) throws {
        var expected: DtlsFingerprint?
        if let remote = remoteFingerprint {
            guard let parsed = DtlsFingerprint(algorithm: remote.algorithm, value: remote.value) else {
                throw MediaError.certificateError("unsupported or malformed fingerprint \(remote.algorithm)")
            }
            expected = parsed
        }
        // SSL_new takes a reference on the shared context.
        guard let ssl = SSL_new(certificate.dtlsContext.context) else {
            throw MediaError.dtlsHandshakeFailed("SSL_new failed")
        }
        // Checks the fingerprint inside the handshake, so a wrong peer is
        // refused with an alert before any key exists.
        if let expected, parley_ssl_pin_peer_digest(ssl, expected.openSSLName,
                                                    expected.digest, expected.digest.count) != 1 {
            SSL_free(ssl)
            throw MediaError.certificateError("cannot pin the peer fingerprint")
        }
        let newReadBio = BIO_new(BIO_s_mem()), newWriteBio = BIO_new(BIO_s_mem())
        guard let readBio = newReadBio, let writeBio = newWriteBio else {
            BIO_free_all(newReadBio)
            BIO_free_all(newWriteBio)
            SSL_free(ssl)
            throw MediaError.dtlsHandshakeFailed("BIO_new failed")
        }
        parley_bio_set_mem_eof_retry(readBio)
        SSL_set_bio(ssl, readBio, writeBio)  // the SSL now owns both BIOs
        parley_ssl_set_no_query_mtu(ssl)
        parley_ssl_set_mtu(ssl, Self.mtu)
        parley_dtls_set_link_mtu(ssl, Self.mtu)
        if role == .client { SSL_set_connect_state(ssl) } else { SSL_set_accept_state(ssl) }
        self.role = role
        self.ssl = ssl
        self.readBio = readBio
        self.writeBio = writeBio
        self.expected = expected
    }

    deinit {
        SSL_free(ssl)
    }

    /// When `handleTimeout(now:)` should next be called, if at all.
    public var nextTimeout: Double? { timer.deadline }

    /// Begins the handshake; the client returns its ClientHello.
    public func start(now: Double) -> [[UInt8]] {
        guard state == .idle else { return [] }
        state = .handshaking
        guard role == .client else { return [] }
        return advanceHandshake(now: now).datagrams
    }

    /// Feeds one datagram from the peer.
    public func handle(_ record: [UInt8], now: Double) -> DtlsOutput {
        switch state {
        case .failed, .closed:
            return DtlsOutput()
        case .idle:
            state = .handshaking
        case .handshaking, .connected:
            break
        }
        guard !record.isEmpty else { return DtlsOutput() }
        let written = record.withUnsafeBytes { BIO_write(readBio, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(record.count) else { return DtlsOutput() }
        return state == .handshaking ? advanceHandshake(now: now) : readApplicationData()
    }

    /// Retransmits the current flight once its deadline has passed.
    public func handleTimeout(now: Double) -> [[UInt8]] {
        guard state == .handshaking, timer.fireIfDue(now: now) else { return [] }
        ERR_clear_error()
        // OpenSSL retransmits with fresh record numbers when its wall clock agrees.
        let result = parley_dtls_handle_timeout(ssl)
        if result < 0 {
            fail()
            return drainWrites()
        }
        let fresh = drainWrites()
        return fresh.isEmpty ? lastFlight : fresh
    }

    /// Sends close_notify; the endpoint is unusable afterwards.
    public func close() -> [[UInt8]] {
        guard state == .connected || state == .handshaking else { return [] }
        state = .closed
        timer.stop()
        ERR_clear_error()
        SSL_shutdown(ssl)
        return drainWrites()
    }

    private func advanceHandshake(now: Double) -> DtlsOutput {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        let error = result == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl, result)
        var output = DtlsOutput(datagrams: drainWrites())
        if result == 1 {
            timer.stop()
            output.event = finishHandshake()
        } else if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE {
            if !output.datagrams.isEmpty {
                lastFlight = output.datagrams
                timer.armForNewFlight(now: now)
            }
        } else {
            fail()
            let rejected = SSL_get_verify_result(ssl) == Int(X509_V_ERR_CERT_REJECTED)
            output.event = .failed(rejected ? .fingerprintMismatch
                                            : .dtlsHandshakeFailed(Self.openSSLErrorText()))
        }
        return output
    }

    private func finishHandshake() -> DtlsEvent {
        let event = verifiedKeys()
        if case .connected = event { state = .connected } else { fail() }
        return event
    }

    /// Checks the fingerprint once more (the pin callback already did, this
    /// also covers a missing fingerprint), then exports the SRTP keys.
    private func verifiedKeys() -> DtlsEvent {
        guard let expected, let peer = SSL_get1_peer_certificate(ssl) else {
            return .failed(.fingerprintMismatch)
        }
        defer { X509_free(peer) }
        guard let der = try? DtlsCertificate.encode(peer),
              DtlsFingerprint(der: der, algorithm: expected.algorithm) == expected
        else {
            return .failed(.fingerprintMismatch)
        }
        guard let selected = SSL_get_selected_srtp_profile(ssl),
              let profile = SrtpProfile(dtlsProfileId: UInt(selected.pointee.id)) else {
            return .failed(.dtlsHandshakeFailed("no SRTP profile negotiated"))
        }
        var exported = [UInt8](repeating: 0, count: 2 * (profile.keyLength + profile.saltLength))
        let label = Array(Self.exporterLabel.utf8)
        let ok = exported.withUnsafeMutableBufferPointer { out in
            label.withUnsafeBufferPointer { labelBytes in
                labelBytes.withMemoryRebound(to: CChar.self) { cLabel in
                    SSL_export_keying_material(ssl, out.baseAddress, out.count,
                                               cLabel.baseAddress, cLabel.count, nil, 0, 0)
                }
            }
        }
        guard ok == 1, let keys = SrtpKeyMaterial(exported: exported, profile: profile,
                                                   isClient: role == .client) else {
            return .failed(.dtlsHandshakeFailed("exporting SRTP keys failed"))
        }
        return .connected(keys)
    }

    /// After the handshake: no data channels here, so application data is
    /// discarded; what matters is close_notify, alerts and handshake retransmissions.
    private func readApplicationData() -> DtlsOutput {
        var output = DtlsOutput()
        var scratch = [UInt8](repeating: 0, count: 2048)
        while true {
            ERR_clear_error()
            let count = scratch.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 { continue }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                break
            case SSL_ERROR_ZERO_RETURN:
                state = .closed
                output.event = .closed
            default:
                fail()
                output.event = .failed(.dtlsHandshakeFailed(Self.openSSLErrorText()))
            }
            break
        }
        output.datagrams = drainWrites()
        return output
    }

    private func fail() {
        state = .failed
        timer.stop()
    }

    private func drainWrites() -> [[UInt8]] {
        let pending = Int(BIO_ctrl_pending(writeBio))
        guard pending > 0 else { return [] }
        var stream = [UInt8](repeating: 0, count: pending)
        let read = stream.withUnsafeMutableBytes { BIO_read(writeBio, $0.baseAddress, Int32($0.count)) }
        guard read > 0 else { return [] }
        return DtlsRecordPacker.datagrams(from: Array(stream.prefix(Int(read))), mtu: Self.mtu)
    }

    private static func openSSLErrorText() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "handshake failed" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(cString: buffer)
    }
}
