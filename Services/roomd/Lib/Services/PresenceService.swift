import Foundation
import Logging
import Wire

/// signald's side of roomd: admitting participants on signalling `join` and keeping
/// the live participant list in step with their sessions.
public struct PresenceService: Sendable, RoomServerContextual {
    let context: RoomServerContext
    let placement: PlacementService

    public init(context: RoomServerContext, placement: PlacementService) {
        self.context = context
        self.placement = placement
    }

    /// Validates the token and counts its participant in.
    public func admit(token: String, connectionID: UUID?) async throws -> Admission {
        do {
            let admission = try await admitChecked(token: token, connectionID: connectionID)
            RoomMetrics.countAdmission(outcome: "ok")
            RoomMetrics.setParticipants(await participants.total)
            return admission
        } catch let error as RoomError {
            RoomMetrics.countAdmission(outcome: error.code)
            throw error
        }
    }

    private func admitChecked(token: String, connectionID: UUID?) async throws -> Admission {
        guard !token.isEmpty, token.utf8.count <= 256,
              let record = try await tokens.token(hash: TokenHasher.hash(token)), !record.revoked else {
            throw RoomError.invalidToken
        }
        guard record.expiresAt > now() else { throw RoomError.tokenExpired }
        guard let room = try await rooms.room(id: record.roomId) else { throw RoomError.roomNotFound }
        let mediaServerId = try await placement.ensurePlacement(of: room.id)
        let outcome = await participants.admit(
            roomId: room.id, participantId: record.participantId, displayName: record.displayName,
            maxParticipants: room.maxParticipants, joinedAt: Timestamp.string(now()), connectionID: connectionID)
        switch outcome {
        case .full:
            throw RoomError.roomFull
        case .admitted(let participant):
            logger.info("participant admitted", metadata: [
                "room": "\(room.id)", "participant": "\(participant.id)", "mediaServer": "\(mediaServerId)",
            ])
            return Admission(roomId: room.id, participant: participant, mediaServerId: mediaServerId)
        }
    }

    public func left(_ event: ParticipantLeft) async {
        if await participants.remove(event.participantId, from: event.roomId) != nil {
            logger.info("participant left", metadata: [
                "room": "\(event.roomId)", "participant": "\(event.participantId)", "reason": "\(event.reason)",
            ])
        }
        RoomMetrics.setParticipants(await participants.total)
    }

    public func changed(_ event: ParticipantChanged) async {
        await participants.update(event.participant, in: event.roomId)
    }

    /// Replaces the presence of the listed rooms (rooms roomd does not know are skipped).
    public func sync(_ request: SyncPresence, connectionID: UUID, liveConnections: Set<UUID>) async throws {
        var known: [SyncPresence.Room] = []
        for room in request.rooms where try await rooms.room(id: room.roomId) != nil {
            known.append(room)
        }
        await participants.replacePresence(known, connectionID: connectionID, liveConnections: liveConnections)
        logger.info("presence synced", metadata: ["rooms": "\(known.count)"])
        RoomMetrics.setParticipants(await participants.total)
    }
}
