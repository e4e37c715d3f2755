/// mediad → roomd, on every (re)connect: announces the instance and the rooms it still hosts.
public struct RegisterMediaServer: WireRequest, Equatable {
    public static let method = "mediaserver.register"
    public typealias Reply = RegisterMediaServerReply

    public var id: String
    /// `ip:port` clients' media reaches (the announced address).
    public var udpAddress: String
    public var httpAddress: String?
    /// Participants this instance accepts at most.
    public var capacity: Int
    public var load: MediaServerLoad

    public init(id: String, udpAddress: String, httpAddress: String? = nil, capacity: Int, load: MediaServerLoad) {
        self.id = id
        self.udpAddress = udpAddress
        self.httpAddress = httpAddress
        self.capacity = capacity
        self.load = load
    }
}

public struct RegisterMediaServerReply: Codable, Sendable, Equatable {
    /// How often roomd expects a heartbeat; an instance silent for three intervals is stale.
    public var heartbeatIntervalSeconds: Double

    public init(heartbeatIntervalSeconds: Double) {
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
    }
}
