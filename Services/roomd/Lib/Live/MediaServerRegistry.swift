import Foundation
import Wire

/// Known mediad instances, their health, and which room lives on which instance.
public actor MediaServerRegistry {
    /// How often mediad should heartbeat.
    public let heartbeatInterval: TimeInterval
    /// An instance whose last heartbeat is older than this is unhealthy: no new rooms go there.
    public let staleAfter: TimeInterval
    /// Only after this long without a heartbeat (or when its connection closes) is it
    /// lost and its rooms moved: a briefly overloaded instance keeps its calls.
    public let lostAfter: TimeInterval

    private var instances: [String: MediaServerInstance] = [:]
    private var placements: [String: String] = [:]

    public init(placements: [String: String] = [:], heartbeatInterval: TimeInterval = 1, staleAfter: TimeInterval = 3,
                lostAfter: TimeInterval = 8) {
        self.placements = placements
        self.heartbeatInterval = heartbeatInterval
        self.staleAfter = staleAfter
        self.lostAfter = max(lostAfter, staleAfter)
    }

    public func register(_ request: RegisterMediaServer, connectionID: UUID?, now: Date) {
        instances[request.id] = MediaServerInstance(
            id: request.id, udpAddress: request.udpAddress, httpAddress: request.httpAddress,
            capacity: request.capacity, reportedLoad: request.load, lastHeartbeatAt: now,
            connectionID: connectionID, lost: false)
    }

    /// Records a heartbeat; false for an instance that never registered or whose
    /// connection closed. An instance that was only stale (hung, then resumed on the
    /// same connection) becomes healthy again; its old rooms stay where they moved.
    @discardableResult
    public func heartbeat(id: String, load: MediaServerLoad, now: Date) -> Bool {
        guard var instance = instances[id], instance.connectionID != nil else { return false }
        instance.lost = false
        instance.reportedLoad = load
        instance.lastHeartbeatAt = now
        instances[id] = instance
        return true
    }

    public func instance(_ id: String) -> MediaServerInstance? { instances[id] }

    public func allInstances() -> [MediaServerInstance] {
        instances.values.sorted { $0.id < $1.id }
    }

    public func isHealthy(_ id: String, now: Date) -> Bool {
        instances[id]?.isHealthy(now: now, staleAfter: staleAfter) ?? false
    }

    /// Marks the instance registered on this connection lost; returns its id if it was not already.
    public func connectionClosed(_ connectionID: UUID) -> String? {
        guard let id = instances.values.first(where: { $0.connectionID == connectionID })?.id else { return nil }
        instances[id]?.connectionID = nil
        return markLost(id)
    }

    /// Marks every instance silent for `lostAfter` lost; returns their ids.
    public func sweepStale(now: Date) -> [String] {
        instances.values
            .filter { !$0.lost && !$0.isHealthy(now: now, staleAfter: lostAfter) }
            .compactMap { markLost($0.id) }
    }

    private func markLost(_ id: String) -> String? {
        guard instances[id]?.lost == false else { return nil }
        instances[id]?.lost = true
        return id
    }

    public func placement(of roomId: String) -> String? { placements[roomId] }

    public func rooms(placedOn id: String) -> [String] {
        placements.filter { $0.value == id }.map(\.key).sorted()
    }

    public func clearPlacement(of roomId: String) { placements[roomId] = nil }

    /// Places the room on the least-loaded healthy instance (fewest participants, then
    /// fewest rooms, then id), excluding `excluding`; nil when none is healthy.
    public func place(_ roomId: String, liveCounts: [String: Int], now: Date, excluding: String? = nil) -> String? {
        let candidates = instances.values.filter { $0.id != excluding && $0.isHealthy(now: now, staleAfter: staleAfter) }
        let chosen = candidates.min { a, b in
            let loadA = load(of: a, liveCounts: liveCounts), loadB = load(of: b, liveCounts: liveCounts)
            return (loadA.participants, loadA.rooms, a.id) < (loadB.participants, loadB.rooms, b.id)
        }
        placements[roomId] = chosen?.id
        return chosen?.id
    }

    /// Load as the larger of what the instance reports and what roomd has placed on
    /// it; a lost instance's last report is stale, so only placements count.
    public func load(of instance: MediaServerInstance, liveCounts: [String: Int]) -> (rooms: Int, participants: Int) {
        let placed = rooms(placedOn: instance.id)
        let participants = placed.reduce(0) { $0 + (liveCounts[$1] ?? 0) }
        guard !instance.lost else { return (placed.count, participants) }
        return (max(instance.reportedLoad.rooms, placed.count), max(instance.reportedLoad.participants, participants))
    }
}
