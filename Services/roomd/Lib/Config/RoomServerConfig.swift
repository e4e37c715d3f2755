import Foundation
import ServiceKit

/// roomd's settings, read from the environment (API.md); the main lets flags override them.
public struct RoomServerConfig: Sendable {
    public var httpAddress: String
    public var databasePath: String
    public var tokenTTLSeconds: Int
    /// The admin key given explicitly; nil means load or generate `admin.key` beside the database.
    public var adminKey: String?
    public var signalingURL: String
    public var turnURLs: [String]
    public var turnSecret: String?
    public var socketDirectory: String
    public var webRoot: String
    /// REST joins per second per client address (`ROOMD_JOIN_RATE`; 0 disables).
    public var joinRatePerSecond: Int = 50

    public init(
        httpAddress: String = "127.0.0.1:8080",
        databasePath: String = "./data/roomd.sqlite",
        tokenTTLSeconds: Int = 600,
        adminKey: String? = nil,
        signalingURL: String = "ws://127.0.0.1:8081/v1/signal",
        turnURLs: [String] = [],
        turnSecret: String? = nil,
        socketDirectory: String = "./run",
        webRoot: String = "Clients/web"
    ) {
        self.httpAddress = httpAddress
        self.databasePath = databasePath
        self.tokenTTLSeconds = tokenTTLSeconds
        self.adminKey = adminKey
        self.signalingURL = signalingURL
        self.turnURLs = turnURLs
        self.turnSecret = turnSecret
        self.socketDirectory = socketDirectory
        self.webRoot = webRoot
    }

    public static func fromEnvironment() -> RoomServerConfig {
        var config = RoomServerConfig(
            httpAddress: Environment.string("ROOMD_HTTP", default: "127.0.0.1:8080"),
            databasePath: Environment.string("ROOMD_DB", default: "./data/roomd.sqlite"),
            tokenTTLSeconds: Environment.int("ROOMD_TOKEN_TTL", default: 600),
            adminKey: Environment.string("ROOMD_ADMIN_KEY"),
            signalingURL: Environment.string("ROOMD_SIGNAL_URL", default: "ws://127.0.0.1:8081/v1/signal"),
            turnURLs: parseList(Environment.string("ROOMD_TURN_URLS")),
            turnSecret: Environment.string("ROOMD_TURN_SECRET"),
            socketDirectory: Environment.socketDirectory,
            webRoot: Environment.string("ROOMD_WEB_ROOT", default: "Clients/web"))
        config.joinRatePerSecond = Environment.int("ROOMD_JOIN_RATE", default: 50)
        return config
    }

    /// Splits a comma-separated list, dropping blanks.
    public static func parseList(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `admin.key` in the database's directory.
    public var adminKeyPath: String {
        let directory = (databasePath as NSString).deletingLastPathComponent
        return ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent("admin.key")
    }
}
