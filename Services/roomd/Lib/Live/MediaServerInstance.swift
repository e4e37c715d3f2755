import Foundation
import Wire

/// What roomd knows about one mediad.
public struct MediaServerInstance: Sendable, Equatable {
    public var id: String
    public var udpAddress: String
    public var httpAddress: String?
    public var capacity: Int
    public var reportedLoad: MediaServerLoad
    public var lastHeartbeatAt: Date
    /// The Wire connection it registered on; nil once that closed.
    public var connectionID: UUID?
    /// Set once its loss was handled, so it is handled once.
    public var lost: Bool

    public func isHealthy(now: Date, staleAfter: TimeInterval) -> Bool {
        !lost && connectionID != nil && now.timeIntervalSince(lastHeartbeatAt) <= staleAfter
    }
}
