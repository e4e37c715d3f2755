import Foundation
import Hummingbird
import Logging
import MediaCore
import NIOCore
import NIOPosix
import ServiceKit
import ServiceLifecycle
import Wire

/// Builds mediad: the UDP socket and engine, the control socket signald calls,
/// the registration with roomd, and the health/metrics HTTP server.
public final class MediaServerApp: Service, @unchecked Sendable {
    public let config: MediaServerConfig
    let logger: Logger

    public init(config: MediaServerConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        let config = self.config
        let certificate = DtlsCertificate.shared
        let mixingThreads = MultiThreadedEventLoopGroup(numberOfThreads: config.threads)
        let loops = Array(mixingThreads.makeIterator())
        let poolBox = PoolBox()
        // The socket lives on the first mixing thread: with one thread nothing hops.
        let udp = try await UdpDriver.bind(config.udp, group: loops[0], receive: { buffer, address in
            poolBox.pool?.receive(buffer, from: address)
        }, readComplete: {
            poolBox.pool?.handOver()
        })
        let announced = "\(config.candidateIP):\(udp.port)"
        guard let candidate = TransportAddress(ip: config.candidateIP, port: UInt16(udp.port)) else {
            throw MediaServerError.invalidOffer("MEDIAD_ANNOUNCED_IP \(config.candidateIP) is not an IP address")
        }
        let directory = EngineDirectory(engines: loops.count)
        // SRTP contexts are built here, off the mixing threads.
        let srtpBuilder = NIOThreadPool(numberOfThreads: 1)
        srtpBuilder.start()
        let engines = loops.enumerated().map { index, loop in
            MediaEngine(index: index, loop: loop, udp: udp, directory: directory, candidates: [candidate],
                        certificate: certificate, capacity: config.capacity,
                        encoderOptions: OpusEncoderOptions(modePolicy: config.opusMode), srtpBuilder: srtpBuilder, logger: logger)
        }
        let engine = MediaEnginePool(engines: engines, directory: directory)
        poolBox.pool = engine
        engine.startClocks()
        logger.info("mediad media socket ready",
                    metadata: ["id": "\(config.id)", "udp": "\(announced)", "threads": "\(loops.count)",
                               "opus_mode": "\(config.opusMode.rawValue)"])

        let control = WireServer(socketPath: WireSocketPaths.mediad(id: config.id, in: config.socketDirectory),
                                 handlers: Self.controlHandlers(engine), logger: logger)
        try await control.start()
        let registration = RoomdRegistration(socketDirectory: config.socketDirectory, logger: logger) {
            RegisterMediaServer(id: config.id, udpAddress: announced, httpAddress: nil, capacity: config.capacity,
                                load: await engine.load())
        } load: {
            await engine.load()
        }
        let http = try await Self.bindHTTP(config: config, registration: registration, logger: logger)
        do {
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await registration.run() }
                    tasks.addTask { try await control.run() }
                    tasks.addTask { try await http.run() }
                    try await tasks.next()
                    tasks.cancelAll()
                }
            } onGracefulShutdown: {
                Task { await engine.shutdown() }
            }
        } catch {
            logger.error("mediad stopped", metadata: ["error": "\(error)"])
        }
        await engine.shutdown()
        await control.shutdown()
        await udp.close()
        try? await mixingThreads.shutdownGracefully()
        try? await srtpBuilder.shutdownGracefully()
    }

    static func controlHandlers(_ engine: MediaEnginePool) -> WireHandlers {
        let handlers = WireHandlers()
        handlers.on(CreateMediaSession.self) { request, connection in
            try await engine.createSession(request, owner: connection)
        }
        handlers.on(AddRemoteCandidate.self) { request, _ in
            try await engine.addCandidate(request)
            return WireAck()
        }
        handlers.on(SetSessionMuted.self) { request, _ in
            try await engine.setMuted(request)
            return WireAck()
        }
        handlers.on(CloseMediaSession.self) { request, _ in
            await engine.closeSession(request)
            return WireAck()
        }
        return handlers
    }

    /// The health/metrics server, on the first free port of `MEDIAD_HTTP`.
    static func bindHTTP(config: MediaServerConfig, registration: RoomdRegistration, logger: Logger) async throws -> some Service {
        let router = Router()
        HealthRoutes<BasicRequestContext>(service: "mediad", registry: Observability.registry) {
            registration.client.connection == nil ? "not registered with roomd" : nil
        }.addRoutes(to: router)
        let port = try firstFreeTCPPort(host: config.http.host, in: config.http.ports)
        return Application(router: router, configuration: .init(address: .hostname(config.http.host, port: port), serverName: "mediad"),
                           logger: logger)
    }

    /// Probes the range for a port nobody listens on (a race with another starter is
    /// possible but harmless: the bind then fails and the process restarts).
    static func firstFreeTCPPort(host: String, in ports: ClosedRange<Int>) throws -> Int {
        for port in ports {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host == "0.0.0.0" ? "0.0.0.0" : host, &address.sin_addr)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 { return port }
        }
        throw MediaServerError.noFreePort("\(host):\(ports)")
    }
}

private final class PoolBox: @unchecked Sendable {
    var pool: MediaEnginePool?
}
