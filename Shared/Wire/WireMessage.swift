/// A request: answered by exactly one reply of type `Reply` (or an error reply).
public protocol WireRequest: Codable, Sendable, Equatable {
    associatedtype Reply: Codable & Sendable
    static var method: String { get }
}

/// A one-way notification, delivered in order per connection.
public protocol WireEvent: Codable, Sendable, Equatable {
    static var name: String { get }
}

/// The reply of requests that only acknowledge.
public struct WireAck: Codable, Sendable, Equatable {
    public init() {}
}

public enum WireProtocol {
    public static let version = 1
    /// Control messages are small; a megabyte leaves room for SDP and presence lists.
    public static let defaultMaxFrameSize = 1 << 20
    public static let defaultCallTimeout: Duration = .seconds(5)
}
