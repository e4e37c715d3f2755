import Hummingbird
import NIOConcurrencyHelpers

/// The router's route patterns, filled once the routes are added, so errors can tell
/// "no such path" from "wrong method".
final class KnownRoutes: Sendable {
    private let patterns = NIOLockedValueBox<[(method: HTTPRequest.Method, components: [Substring])]>([])

    func set(_ routes: [(method: HTTPRequest.Method, path: String)]) {
        patterns.withLockedValue { $0 = routes.map { ($0.method, $0.path.split(separator: "/")) } }
    }

    /// The methods of every route whose pattern matches the path.
    func methods(matching path: String) -> [HTTPRequest.Method] {
        let components = path.split(separator: "/")
        return patterns.withLockedValue { patterns in
            patterns.filter { pattern in
                pattern.components.count == components.count
                    && zip(pattern.components, components).allSatisfy { $0.hasPrefix(":") || $0.hasPrefix("{") || $0 == $1 }
            }.map(\.method)
        }
    }
}
