import Foundation
import NIOConcurrencyHelpers

/// The ids of the Wire connections currently open from signald.
final class SignaldConnections: Sendable {
    private let ids = NIOLockedValueBox<Set<UUID>>([])

    func add(_ id: UUID) { ids.withLockedValue { _ = $0.insert(id) } }
    func remove(_ id: UUID) { ids.withLockedValue { _ = $0.remove(id) } }
    var current: Set<UUID> { ids.withLockedValue { $0 } }
}
