import Foundation
import Logging
import Wire

/// Answers the Wire messages signald and mediad send roomd.
public struct RoomControlPlane: Sendable {
    let presence: PresenceService
    let placement: PlacementService
    let signaldConnections = SignaldConnections()
    let logger: Logger

    public init(presence: PresenceService, placement: PlacementService, logger: Logger) {
        self.presence = presence
        self.placement = placement
        self.logger = logger
    }

    public func register(on handlers: WireHandlers) {
        handlers.on(AdmitParticipant.self) { request, connection in
            markSignald(connection)
            return try await presence.admit(token: request.token, connectionID: connection.id)
        }
        handlers.on(ParticipantLeft.self) { event, _ in
            await presence.left(event)
        }
        handlers.on(ParticipantChanged.self) { event, _ in
            await presence.changed(event)
        }
        handlers.on(SyncPresence.self) { request, connection in
            markSignald(connection)
            try await presence.sync(request, connectionID: connection.id, liveConnections: signaldConnections.current)
            return WireAck()
        }
        handlers.on(RegisterMediaServer.self) { request, connection in
            guard !request.id.isEmpty, request.id.utf8.count <= 128 else {
                throw RoomError.invalidRequest("media server id must be 1–128 bytes")
            }
            connection.label = "mediad:\(request.id)"
            return await placement.register(request, connectionID: connection.id)
        }
        handlers.on(MediaServerHeartbeat.self) { event, _ in
            await placement.heartbeat(event)
        }
        handlers.onDisconnect { connection in
            signaldConnections.remove(connection.id)
            await placement.connectionClosed(connection.id)
        }
    }

    private func markSignald(_ connection: WireConnection) {
        if connection.label != WireSignalingSink.label {
            connection.label = WireSignalingSink.label
            logger.info("signald connected over wire")
        }
        signaldConnections.add(connection.id)
    }
}
