/// SRTP master keys exported from a finished DTLS handshake, seen from one
/// endpoint: "local" protects what it sends, "remote" unprotects what it receives.
public struct SrtpKeyMaterial: Equatable, Sendable {
    public let profile: SrtpProfile
    public let localKey: [UInt8]
    public let localSalt: [UInt8]
    public let remoteKey: [UInt8]
    public let remoteSalt: [UInt8]

    public init(profile: SrtpProfile, localKey: [UInt8], localSalt: [UInt8],
                remoteKey: [UInt8], remoteSalt: [UInt8]) {
        self.profile = profile
        self.localKey = localKey
        self.localSalt = localSalt
        self.remoteKey = remoteKey
        self.remoteSalt = remoteSalt
    }

    /// Splits the RFC 5764 §4.2 exporter output, laid out as
    /// client key | server key | client salt | server salt.
    init?(exported: [UInt8], profile: SrtpProfile, isClient: Bool) {
        let k = profile.keyLength, s = profile.saltLength
        guard exported.count == 2 * (k + s) else { return nil }
        let clientKey = Array(exported[0..<k])
        let serverKey = Array(exported[k..<2 * k])
        let clientSalt = Array(exported[2 * k..<2 * k + s])
        let serverSalt = Array(exported[2 * k + s..<2 * (k + s)])
        self.profile = profile
        localKey = isClient ? clientKey : serverKey
        localSalt = isClient ? clientSalt : serverSalt
        remoteKey = isClient ? serverKey : clientKey
        remoteSalt = isClient ? serverSalt : clientSalt
    }
}
