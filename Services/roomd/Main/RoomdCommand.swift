import ArgumentParser
import Logging
import RoomServer
import ServiceKit
import ServiceLifecycle

/// roomd: REST API for rooms and join tokens, placement of rooms on mediad instances.
@main
struct RoomdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roomd", abstract: "Parley room server")

    @Option(help: "HTTP listen address (ROOMD_HTTP)") var http: String?
    @Option(help: "SQLite database file (ROOMD_DB)") var db: String?
    @Option(help: "Join token lifetime in seconds (ROOMD_TOKEN_TTL)") var tokenTtl: Int?
    @Option(help: "Signalling URL handed to clients (ROOMD_SIGNAL_URL)") var signalUrl: String?
    @Option(help: "Comma-separated TURN URLs (ROOMD_TURN_URLS)") var turnUrls: String?
    @Option(help: "Directory of the Unix sockets (VOICE_SOCKET_DIR)") var socketDir: String?
    @Option(help: "Directory served at / (ROOMD_WEB_ROOT)") var webRoot: String?
    @Option(help: "trace … critical (VOICE_LOG_LEVEL)") var logLevel: String?

    func run() async throws {
        Observability.bootstrap(logLevel: logLevel ?? Environment.logLevel)
        let logger = Logger(label: "roomd")

        var config = RoomServerConfig.fromEnvironment()
        if let http { config.httpAddress = http }
        if let db { config.databasePath = db }
        if let tokenTtl { config.tokenTTLSeconds = tokenTtl }
        if let signalUrl { config.signalingURL = signalUrl }
        if let turnUrls { config.turnURLs = RoomServerConfig.parseList(turnUrls) }
        if let socketDir { config.socketDirectory = socketDir }
        if let webRoot { config.webRoot = webRoot }

        let app = try RoomServerApp(config: config, logger: logger)
        if let path = app.adminKeyPath {
            print("roomd: admin key in \(path)")
        }
        let group = ServiceGroup(
            services: [try app.application(), app.wireServer, app.sweeper],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await group.run()
    }
}
