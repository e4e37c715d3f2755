import COpenSSL
import CShim

/// The OpenSSL context every DTLS session of one certificate shares: building
/// one per session cost a join tens of kilobytes and a key load. Per-session
/// settings (the pinned peer fingerprint, the role, the MTU) live on the SSL.
final class DtlsContext {
    let context: OpaquePointer

    init(certificate x509: OpaquePointer, privateKey: OpaquePointer) throws {
        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw MediaError.dtlsHandshakeFailed("SSL_CTX_new failed")
        }
        // Set on the context before SSL_new, which copies the verify settings.
        parley_ssl_ctx_accept_any_peer_cert(context)
        // Idle sessions (all of them, once connected) give their record buffers back.
        _ = parley_ssl_ctx_set_mode(context, Int(SSL_MODE_RELEASE_BUFFERS))
        // SSL_CTX_set_tlsext_use_srtp returns 0 on success.
        guard parley_ssl_ctx_pin_dtls12(context) == 1,
              SSL_CTX_use_certificate(context, x509) == 1,
              SSL_CTX_use_PrivateKey(context, privateKey) == 1,
              SSL_CTX_set_tlsext_use_srtp(context, DtlsEndpoint.srtpProfiles) == 0
        else {
            SSL_CTX_free(context)
            throw MediaError.dtlsHandshakeFailed("configuring OpenSSL failed")
        }
        self.context = context
    }

    /// SSL_new takes its own reference on the context, so sessions may outlive this.
    deinit {
        SSL_CTX_free(context)
    }
}
