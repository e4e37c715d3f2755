import ArgumentParser
import Logging
import MediaServer
import ServiceKit
import ServiceLifecycle

@main
struct MediadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mediad", abstract: "Parley's media server: ICE-lite, DTLS-SRTP, Opus mixing.")

    @Option(help: "Instance id (MEDIAD_ID).") var id: String?
    @Option(help: "UDP address or range for media (MEDIAD_UDP).") var udp: String?
    @Option(help: "IP announced in ICE candidates (MEDIAD_ANNOUNCED_IP).") var announcedIp: String?
    @Option(help: "Health/metrics address or range (MEDIAD_HTTP).") var http: String?
    @Option(help: "Directory of the services' Unix sockets (VOICE_SOCKET_DIR).") var socketDir: String?
    @Option(help: "Log level (VOICE_LOG_LEVEL).") var logLevel: String?

    func run() async throws {
        Observability.bootstrap(logLevel: logLevel ?? Environment.logLevel, durationBuckets: MediadHistograms.buckets)
        let logger = Logger(label: "mediad")
        var config = MediaServerConfig.fromEnvironment()
        if let id { config.id = id }
        if let udp {
            guard let address = ListenAddress(udp) else { throw ValidationError("bad --udp \(udp)") }
            config.udp = address
        }
        if let announcedIp { config.announcedIP = announcedIp }
        if let http {
            guard let address = ListenAddress(http) else { throw ValidationError("bad --http \(http)") }
            config.http = address
        }
        if let socketDir { config.socketDirectory = socketDir }
        let app = MediaServerApp(config: config, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
