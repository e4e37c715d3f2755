import Logging
import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// Bootstraps swift-log and swift-metrics once per process (both may only be set once).
public enum Observability {
    private static let once = NIOLockedValueBox<PrometheusCollectorRegistry?>(nil)

    /// Logs go to stderr as `timestamp level label: message key=value`; metrics to a
    /// Prometheus registry that `/metrics` renders. `durationBuckets` gives a timer
    /// (by label) finer histogram buckets than the default ones.
    @discardableResult
    public static func bootstrap(logLevel: String, durationBuckets: [String: [Duration]] = [:]) -> PrometheusCollectorRegistry {
        once.withLockedValue { registry in
            if let registry { return registry }
            let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let created = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: created)
            factory.durationHistogramBuckets = durationBuckets
            MetricsSystem.bootstrap(factory)
            registry = created
            return created
        }
    }

    /// The registry for tests and for processes that skipped bootstrap.
    public static var registry: PrometheusCollectorRegistry {
        once.withLockedValue { $0 } ?? PrometheusMetricsFactory.defaultRegistry
    }
}
