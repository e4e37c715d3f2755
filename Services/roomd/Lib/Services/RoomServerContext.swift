import Foundation
import Logging

/// What roomd's services share: storage, live registries, the way to signald, the clock.
public struct RoomServerContext: Sendable {
    public let rooms: RoomStore
    public let tokens: TokenStore
    public let participants: ParticipantRegistry
    public let mediaServers: MediaServerRegistry
    public let sink: SignalingCommandSink
    public let now: @Sendable () -> Date
    public let logger: Logger

    public init(
        rooms: RoomStore, tokens: TokenStore, participants: ParticipantRegistry, mediaServers: MediaServerRegistry,
        sink: SignalingCommandSink, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.rooms = rooms
        self.tokens = tokens
        self.participants = participants
        self.mediaServers = mediaServers
        self.sink = sink
        self.now = now
        self.logger = logger
    }
}

/// A service built on the shared context, reaching its parts by name.
protocol RoomServerContextual {
    var context: RoomServerContext { get }
}

extension RoomServerContextual {
    var rooms: RoomStore { context.rooms }
    var tokens: TokenStore { context.tokens }
    var participants: ParticipantRegistry { context.participants }
    var mediaServers: MediaServerRegistry { context.mediaServers }
    var sink: SignalingCommandSink { context.sink }
    var logger: Logger { context.logger }
    func now() -> Date { context.now() }
}
