import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceKit
import ServiceLifecycle
import Wire

/// Builds signald: the hub, its Wire links to roomd and mediad, and the HTTP/WebSocket app.
public enum SignalServerApp {
    public struct Built {
        public let hub: SessionHub
        public let links: WireUpstreamLinks
        public let services: [any Service]
    }

    public static func build(config: SignalServerConfig, logger: Logger) -> Built {
        let roomdHandlers = WireHandlers()
        let mediaHandlers = WireHandlers()
        let hubBox = HubBox()
        let links = WireUpstreamLinks(
            socketDirectory: config.socketDirectory, roomdHandlers: roomdHandlers, mediaHandlers: mediaHandlers,
            logger: logger
        ) { connection in
            // A (re)started roomd learns who is here.
            guard let hub = hubBox.hub else { return }
            connection.label = "roomd"
            _ = try await connection.call(await hub.presence())
        }
        let hub = SessionHub(upstream: links, logger: logger)
        hubBox.hub = hub
        registerHandlers(hub: hub, roomd: roomdHandlers, media: mediaHandlers)

        let router = Router(context: BasicWebSocketRequestContext.self)
        HealthRoutes<BasicWebSocketRequestContext>(service: "signald", registry: Observability.registry) {
            links.roomd.connection == nil ? "roomd not connected" : nil
        }.addRoutes(to: router)
        SignalingRoute(hub: hub, config: config, logger: logger).addRoutes(to: router)
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: router,
                configuration: .init(maxFrameSize: 64 * 1024, autoPing: .enabled(timePeriod: config.pingInterval))),
            // A town hall's start brings hundreds of WebSocket connections at once; Hummingbird's
            // default accept queue of 256 overflowed and the rest waited on SYN retries.
            configuration: .init(address: .hostname(config.http.host, port: config.http.port), serverName: "signald",
                                 backlog: 4096),
            logger: logger)
        return Built(hub: hub, links: links, services: [links.roomd, app])
    }

    static func registerHandlers(hub: SessionHub, roomd: WireHandlers, media: WireHandlers) {
        roomd.on(SetParticipantMuted.self) { event, _ in
            await hub.applyMute(roomId: event.roomId, participantId: event.participant.id, muted: event.participant.muted, reportToRoomd: false)
        }
        roomd.on(KickParticipant.self) { event, _ in await hub.kick(roomId: event.roomId, participantId: event.participantId) }
        roomd.on(CloseRoom.self) { event, _ in await hub.closeRoom(roomId: event.roomId) }
        roomd.on(MediaServerLost.self) { event, _ in await hub.mediaServerLost(roomIds: event.roomIds) }
        media.on(ParticipantTalking.self) { event, _ in
            await hub.setTalking(roomId: event.roomId, participantId: event.participantId, talking: event.talking)
        }
        media.on(MediaSessionStateChanged.self) { event, _ in
            if event.state != .connected { await hub.mediaSessionEnded(event) }
        }
    }
}

/// Lets the roomd on-connect hook reach the hub created after the links.
private final class HubBox: @unchecked Sendable {
    var hub: SessionHub?
}
