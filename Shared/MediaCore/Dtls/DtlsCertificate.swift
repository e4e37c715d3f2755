import COpenSSL
import CShim
import Foundation

/// A self-signed ECDSA P-256 certificate for DTLS-SRTP.
///
/// WebRTC peers do not validate certificate chains; the certificate is
/// authenticated by its fingerprint carried in the SDP, so one certificate per
/// process is enough and keeps the fingerprint stable across sessions.
public final class DtlsCertificate: @unchecked Sendable {
    /// Owned references; immutable after init, freed in deinit.
    let x509: OpaquePointer
    let privateKey: OpaquePointer
    /// DER encoding of the certificate.
    public let der: [UInt8]
    /// Shared by every DTLS session presenting this certificate.
    let dtlsContext: DtlsContext
    /// SHA-256 of the DER, uppercase hex with colons, as in `a=fingerprint:sha-256`.
    public let fingerprint: String

    /// The process-wide certificate, generated on first use. Swift runs a
    /// static initialiser exactly once, even when threads race to it.
    public static let shared: DtlsCertificate = {
        do {
            return try DtlsCertificate(commonName: "parley")
        } catch {
            // Not reachable by peer input: only a broken local OpenSSL gets here,
            // and without a certificate no DTLS session can ever start.
            preconditionFailure("cannot create the DTLS certificate: \(error)")
        }
    }()

    public init(commonName: String = "parley", validity: TimeInterval = 30 * 24 * 3600) throws {
        guard let key = parley_evp_ec_gen_p256() else {
            throw MediaError.certificateError("P-256 key generation failed")
        }
        guard let cert = X509_new() else {
            EVP_PKEY_free(key)
            throw MediaError.certificateError("X509_new failed")
        }
        do {
            try Self.fill(cert, key: key, commonName: commonName, validity: validity)
            der = try Self.encode(cert)
            dtlsContext = try DtlsContext(certificate: cert, privateKey: key)
        } catch {
            X509_free(cert)
            EVP_PKEY_free(key)
            throw error
        }
        x509 = cert
        privateKey = key
        fingerprint = Self.fingerprint(of: der, algorithm: "sha-256") ?? ""
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(privateKey)
    }

    private static func fill(_ cert: OpaquePointer, key: OpaquePointer,
                             commonName: String, validity: TimeInterval) throws {
        // A random positive 63-bit serial: browsers reject repeated serials for one issuer name.
        let serial = Int.random(in: 1...Int.max)
        // Back-date by a day so a peer with a slightly slow clock still accepts it.
        guard X509_set_version(cert, 2) == 1,
              ASN1_INTEGER_set(X509_get_serialNumber(cert), serial) == 1,
              X509_gmtime_adj(X509_getm_notBefore(cert), -86_400) != nil,
              X509_gmtime_adj(X509_getm_notAfter(cert), Int(validity)) != nil,
              X509_set_pubkey(cert, key) == 1,
              let name = X509_get_subject_name(cert),
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName,
                                         -1, -1, 0) == 1,
              X509_set_issuer_name(cert, name) == 1,
              X509_sign(cert, key, EVP_sha256()) > 0
        else {
            throw MediaError.certificateError("building the X.509 certificate failed")
        }
    }

    static func encode(_ cert: OpaquePointer) throws -> [UInt8] {
        let length = i2d_X509(cert, nil)
        guard length > 0 else { throw MediaError.certificateError("i2d_X509 failed") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509(cert, &cursor)
        }
        guard written == length else { throw MediaError.certificateError("i2d_X509 failed") }
        return bytes
    }

    /// The SDP fingerprint (`AB:CD:…`) of a DER certificate, or nil for an
    /// algorithm other than sha-256, sha-384 and sha-512.
    public static func fingerprint(of der: [UInt8], algorithm: String) -> String? {
        DtlsFingerprint(der: der, algorithm: algorithm)?.value
    }
}
