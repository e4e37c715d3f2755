/// The DTLS-SRTP protection profiles we offer (RFC 5764, RFC 7714).
public enum SrtpProfile: Equatable, Sendable, CustomStringConvertible {
    case aes128CmSha1_80
    case aeadAes128Gcm

    /// The profile id negotiated in the DTLS use_srtp extension.
    init?(dtlsProfileId: UInt) {
        switch dtlsProfileId {
        case 0x0001: self = .aes128CmSha1_80
        case 0x0007: self = .aeadAes128Gcm
        default: return nil
        }
    }

    /// The IANA name (RFC 5764, RFC 7714).
    public var description: String {
        switch self {
        case .aes128CmSha1_80: return "SRTP_AES128_CM_HMAC_SHA1_80"
        case .aeadAes128Gcm: return "SRTP_AEAD_AES_128_GCM"
        }
    }

    public var keyLength: Int { 16 }

    public var saltLength: Int {
        switch self {
        case .aes128CmSha1_80: return 14
        case .aeadAes128Gcm: return 12
        }
    }
}
