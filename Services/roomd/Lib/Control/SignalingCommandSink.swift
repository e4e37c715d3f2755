import Wire

/// Where roomd's commands to signald (mute, kick, close, media server lost) go.
public protocol SignalingCommandSink: Sendable {
    func send<Event: WireEvent>(_ event: Event)
}

/// Sends to every Wire connection that identified itself as signald.
public struct WireSignalingSink: SignalingCommandSink {
    public static let label = "signald"
    let server: WireServer

    public init(server: WireServer) {
        self.server = server
    }

    public func send<Event: WireEvent>(_ event: Event) {
        for connection in server.connections where connection.label == Self.label {
            connection.notify(event)
        }
    }
}

/// Drops commands; for a roomd without signald (tests, tools).
public struct DiscardingSignalingSink: SignalingCommandSink {
    public init() {}
    public func send<Event: WireEvent>(_ event: Event) {}
}
