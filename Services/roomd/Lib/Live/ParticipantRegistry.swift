import Foundation
import Wire

/// Who is in which room right now, from signalling `join` until leave. Lives in memory;
/// signald's `SyncPresence` restores it after a roomd restart.
public actor ParticipantRegistry {
    struct Entry {
        var participant: Participant
        /// The signald connection that admitted or reported it.
        var connectionID: UUID?
    }

    public enum AdmitOutcome: Equatable, Sendable {
        case admitted(Participant)
        case full
    }

    private var rooms: [String: [String: Entry]] = [:]

    public init() {}

    public func participants(in roomId: String) -> [Participant] {
        (rooms[roomId] ?? [:]).values.map(\.participant).sorted { ($0.joinedAt, $0.id) < ($1.joinedAt, $1.id) }
    }

    public func participant(_ participantId: String, in roomId: String) -> Participant? {
        rooms[roomId]?[participantId]?.participant
    }

    public func count(in roomId: String) -> Int {
        rooms[roomId]?.count ?? 0
    }

    /// Live participants per room.
    public func counts() -> [String: Int] {
        rooms.mapValues(\.count)
    }

    public var total: Int {
        rooms.values.reduce(0) { $0 + $1.count }
    }

    /// Counts the participant in unless the room is full. A participant already present
    /// (its session was replaced) keeps its place, mute state and join time.
    public func admit(
        roomId: String, participantId: String, displayName: String, maxParticipants: Int,
        joinedAt: String, connectionID: UUID?
    ) -> AdmitOutcome {
        // In place: a copy of the room per join would be O(N²) for a town hall filling up.
        let participant: Participant
        if var existing = rooms[roomId]?[participantId] {
            existing.participant.talking = false
            existing.connectionID = connectionID
            rooms[roomId]?[participantId] = existing
            participant = existing.participant
        } else {
            guard count(in: roomId) < maxParticipants else { return .full }
            participant = Participant(id: participantId, displayName: displayName, joinedAt: joinedAt)
            rooms[roomId, default: [:]][participantId] = Entry(participant: participant, connectionID: connectionID)
        }
        return .admitted(participant)
    }

    @discardableResult
    public func remove(_ participantId: String, from roomId: String) -> Participant? {
        let removed = rooms[roomId]?.removeValue(forKey: participantId)
        if rooms[roomId]?.isEmpty == true { rooms[roomId] = nil }
        return removed?.participant
    }

    /// Takes over muted/talking from signald's view; unknown participants are ignored.
    @discardableResult
    public func update(_ participant: Participant, in roomId: String) -> Bool {
        guard var entry = rooms[roomId]?[participant.id] else { return false }
        entry.participant.muted = participant.muted
        entry.participant.talking = participant.talking
        rooms[roomId]?[participant.id] = entry
        return true
    }

    public func setMuted(_ muted: Bool, participantId: String, in roomId: String) -> Participant? {
        guard var entry = rooms[roomId]?[participantId] else { return nil }
        entry.participant.muted = muted
        rooms[roomId]?[participantId] = entry
        return entry.participant
    }

    @discardableResult
    public func removeRoom(_ roomId: String) -> [Participant] {
        (rooms.removeValue(forKey: roomId) ?? [:]).values.map(\.participant)
    }

    /// Replaces the presence of every listed room with what signald reports, and drops
    /// participants that were reported by connections no longer alive (a restarted signald
    /// has no sessions for them).
    public func replacePresence(
        _ reported: [SyncPresence.Room], connectionID: UUID, liveConnections: Set<UUID>
    ) {
        for (roomId, entries) in rooms {
            let kept = entries.filter { _, entry in
                entry.connectionID.map { $0 == connectionID || liveConnections.contains($0) } ?? true
            }
            rooms[roomId] = kept.isEmpty ? nil : kept
        }
        for room in reported {
            var entries: [String: Entry] = [:]
            for participant in room.participants {
                entries[participant.id] = Entry(participant: participant, connectionID: connectionID)
            }
            rooms[room.roomId] = entries.isEmpty ? nil : entries
        }
    }
}
