/// mediad → roomd, periodically: still alive, and its current load.
public struct MediaServerHeartbeat: WireEvent, Equatable {
    public static let name = "mediaserver.heartbeat"

    public var id: String
    public var load: MediaServerLoad

    public init(id: String, load: MediaServerLoad) {
        self.id = id
        self.load = load
    }
}
