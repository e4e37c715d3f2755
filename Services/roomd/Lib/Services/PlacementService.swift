import Foundation
import Logging
import Wire

/// Decides which mediad hosts each room, records it, and moves rooms off instances that die.
public struct PlacementService: Sendable, RoomServerContextual {
    let context: RoomServerContext

    public init(context: RoomServerContext) {
        self.context = context
    }

    /// The room's instance if healthy, else a newly chosen one; `no_media_server` when none is up.
    public func ensurePlacement(of roomId: String) async throws -> String {
        if let current = await mediaServers.placement(of: roomId) {
            if await mediaServers.isHealthy(current, now: now()) { return current }
            // Stale but not yet lost: a room with people in it stays, or it would be
            // split over two instances; an empty one may move at once.
            if let instance = await mediaServers.instance(current), !instance.lost,
               await participants.count(in: roomId) > 0 {
                return current
            }
        }
        guard let chosen = try await place(roomId) else { throw RoomError.noMediaServer }
        return chosen
    }

    /// Places the room on the least-loaded healthy instance (or clears its placement) and records it.
    @discardableResult
    public func place(_ roomId: String, excluding: String? = nil) async throws -> String? {
        let counts = await participants.counts()
        let previous = await mediaServers.placement(of: roomId)
        let chosen = await mediaServers.place(roomId, liveCounts: counts, now: now(), excluding: excluding)
        if chosen != previous {
            try await rooms.setPlacement(roomId: roomId, mediaServerId: chosen)
            logger.info("room placed", metadata: ["room": "\(roomId)", "mediaServer": "\(chosen ?? "none")"])
        }
        return chosen
    }

    public func forget(_ roomId: String) async {
        await mediaServers.clearPlacement(of: roomId)
    }

    public func register(_ request: RegisterMediaServer, connectionID: UUID?) async -> RegisterMediaServerReply {
        await mediaServers.register(request, connectionID: connectionID, now: now())
        logger.info("media server registered", metadata: ["mediaServer": "\(request.id)", "udp": "\(request.udpAddress)"])
        return RegisterMediaServerReply(heartbeatIntervalSeconds: mediaServers.heartbeatInterval)
    }

    public func heartbeat(_ heartbeat: MediaServerHeartbeat) async {
        if await !mediaServers.heartbeat(id: heartbeat.id, load: heartbeat.load, now: now()) {
            logger.debug("heartbeat from unregistered media server", metadata: ["mediaServer": "\(heartbeat.id)"])
        }
    }

    public func connectionClosed(_ connectionID: UUID) async {
        if let lost = await mediaServers.connectionClosed(connectionID) {
            await handleLoss(of: lost, reason: "connection closed")
        }
    }

    /// Finds instances with stale heartbeats and handles their loss.
    public func sweep() async {
        for lost in await mediaServers.sweepStale(now: now()) {
            await handleLoss(of: lost, reason: "heartbeat stale")
        }
    }

    /// Re-places the lost instance's rooms and tells signald, whose clients then rejoin.
    func handleLoss(of mediaServerId: String, reason: String) async {
        RoomMetrics.countMediaServerLost()
        let affected = await mediaServers.rooms(placedOn: mediaServerId)
        logger.warning("media server lost", metadata: [
            "mediaServer": "\(mediaServerId)", "reason": "\(reason)", "rooms": "\(affected.count)",
        ])
        for roomId in affected {
            do { try await place(roomId, excluding: mediaServerId) } catch {
                logger.error("cannot record re-placement", metadata: ["room": "\(roomId)", "error": "\(error)"])
            }
        }
        sink.send(MediaServerLost(mediaServerId: mediaServerId, roomIds: affected))
    }

    public func statuses() async -> [MediaServerStatus] {
        let counts = await participants.counts()
        let time = now()
        var result: [MediaServerStatus] = []
        for instance in await mediaServers.allInstances() {
            let load = await mediaServers.load(of: instance, liveCounts: counts)
            result.append(MediaServerStatus(
                id: instance.id, udpAddress: instance.udpAddress,
                healthy: instance.isHealthy(now: time, staleAfter: mediaServers.staleAfter),
                rooms: load.rooms, participants: load.participants,
                lastHeartbeatAt: Timestamp.string(instance.lastHeartbeatAt)))
        }
        return result
    }
}
