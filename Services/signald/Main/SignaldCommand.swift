import ArgumentParser
import Logging
import ServiceKit
import ServiceLifecycle
import SignalServer

@main
struct SignaldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "signald", abstract: "Parley's WebSocket signalling relay.")

    @Option(help: "HTTP/WebSocket listen address (SIGNALD_HTTP).") var http: String?
    @Option(help: "Comma-separated allowed browser origins (SIGNALD_ALLOWED_ORIGINS).") var allowedOrigins: String?
    @Option(help: "Directory of the services' Unix sockets (VOICE_SOCKET_DIR).") var socketDir: String?
    @Option(help: "Log level (VOICE_LOG_LEVEL).") var logLevel: String?

    func run() async throws {
        Observability.bootstrap(logLevel: logLevel ?? Environment.logLevel)
        let logger = Logger(label: "signald")
        var config = SignalServerConfig.fromEnvironment()
        if let http {
            guard let address = ListenAddress(http) else { throw ValidationError("bad --http \(http)") }
            config.http = address
        }
        if let allowedOrigins { config.allowedOrigins = SignalServerConfig.parseOrigins(allowedOrigins) }
        if let socketDir { config.socketDirectory = socketDir }
        let built = SignalServerApp.build(config: config, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: built.services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        built.links.stop()
    }
}
