/// Both SRTP directions of one session, built from its DTLS keys. Building them
/// costs about a millisecond with Debian's NSS-backed libsrtp, so a server builds
/// them off its mixing thread and hands the pair over once: it is never shared.
public struct SrtpPair: @unchecked Sendable {
    let inbound: SrtpContext
    let outbound: SrtpContext

    public init(keys: SrtpKeyMaterial) throws {
        inbound = try SrtpContext(profile: keys.profile, key: keys.remoteKey, salt: keys.remoteSalt, direction: .inbound)
        outbound = try SrtpContext(profile: keys.profile, key: keys.localKey, salt: keys.localSalt, direction: .outbound)
    }
}
