import ServiceLifecycle

/// Periodically looks for mediad instances whose heartbeat went stale.
public struct PlacementSweeper: Service {
    let placement: PlacementService
    let interval: Duration

    public init(placement: PlacementService, interval: Duration = .seconds(1)) {
        self.placement = placement
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: interval)
            await placement.sweep()
        }
    }
}
