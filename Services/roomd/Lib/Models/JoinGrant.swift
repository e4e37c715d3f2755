/// API.md's Join: what a client needs to open its signalling session.
public struct JoinGrant: Codable, Sendable, Equatable {
    public var token: String
    public var participantId: String
    public var roomId: String
    /// RFC 3339, UTC.
    public var expiresAt: String
    public var signalingUrl: String
    public var iceServers: [IceServer]
}

/// One entry of RTCConfiguration.iceServers.
public struct IceServer: Codable, Sendable, Equatable {
    public var urls: [String]
    public var username: String?
    public var credential: String?

    public init(urls: [String], username: String? = nil, credential: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }
}
