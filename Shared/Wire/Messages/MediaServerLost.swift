/// roomd → signald: a mediad died; its rooms are already re-placed, so clients in them
/// get `media_server_lost` and can rejoin at once.
public struct MediaServerLost: WireEvent, Equatable {
    public static let name = "mediaserver.lost"

    public var mediaServerId: String
    public var roomIds: [String]

    public init(mediaServerId: String, roomIds: [String]) {
        self.mediaServerId = mediaServerId
        self.roomIds = roomIds
    }
}
