import ServiceKit

public struct SignalServerConfig: Sendable {
    public var http: ListenAddress
    /// `["*"]` allows any origin; clients without an Origin header are always allowed.
    public var allowedOrigins: [String]
    public var socketDirectory: String
    public var maxSessions: Int
    /// Sustained client messages per second, with a burst allowance.
    public var messagesPerSecond: Double
    public var messageBurst: Double
    public var joinTimeout: Duration
    public var pingInterval: Duration

    public init(
        http: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8081), allowedOrigins: [String] = ["*"],
        socketDirectory: String = "./run", maxSessions: Int = 10_000, messagesPerSecond: Double = 20,
        messageBurst: Double = 60, joinTimeout: Duration = .seconds(10), pingInterval: Duration = .seconds(15)
    ) {
        self.http = http
        self.allowedOrigins = allowedOrigins
        self.socketDirectory = socketDirectory
        self.maxSessions = maxSessions
        self.messagesPerSecond = messagesPerSecond
        self.messageBurst = messageBurst
        self.joinTimeout = joinTimeout
        self.pingInterval = pingInterval
    }

    public static func fromEnvironment() -> SignalServerConfig {
        var config = SignalServerConfig()
        if let http = Environment.string("SIGNALD_HTTP").flatMap(ListenAddress.init) { config.http = http }
        config.allowedOrigins = parseOrigins(Environment.string("SIGNALD_ALLOWED_ORIGINS", default: "*"))
        config.socketDirectory = Environment.socketDirectory
        config.maxSessions = Environment.int("SIGNALD_MAX_SESSIONS", default: config.maxSessions)
        return config
    }

    public static func parseOrigins(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public func allows(origin: String?) -> Bool {
        guard let origin, !origin.isEmpty else { return true }
        return allowedOrigins.contains("*") || allowedOrigins.contains { $0.caseInsensitiveCompare(origin) == .orderedSame }
    }
}
