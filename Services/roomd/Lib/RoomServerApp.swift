import Foundation
import GRDB
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle
import Wire

/// roomd assembled: storage, live registries, services, the Wire control plane and the
/// HTTP router. The main runs `application()`, `wireServer` and `sweeper` in a ServiceGroup.
public final class RoomServerApp: Sendable {
    public let config: RoomServerConfig
    public let adminKey: String
    /// Where the generated admin key lives; nil when ROOMD_ADMIN_KEY gave it.
    public let adminKeyPath: String?
    public let database: DatabaseQueue
    public let participants: ParticipantRegistry
    public let mediaServers: MediaServerRegistry
    public let placement: PlacementService
    public let rooms: RoomService
    public let presence: PresenceService
    public let wireHandlers: WireHandlers
    public let wireServer: WireServer
    let logger: Logger

    /// - Parameters:
    ///   - sink: where commands to signald go; by default the signald connections of `wireServer`.
    ///   - now: the clock, injectable for tests.
    public init(
        config: RoomServerConfig, sink: SignalingCommandSink? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "roomd")
    ) throws {
        self.config = config
        self.logger = logger
        if let key = config.adminKey {
            adminKey = key
            adminKeyPath = nil
        } else {
            adminKey = try AdminKeyFile.loadOrCreate(at: config.adminKeyPath).key
            adminKeyPath = config.adminKeyPath
        }
        database = try RoomDatabase.open(path: config.databasePath)
        let roomStore = RoomStore(database: database)
        let tokenStore = TokenStore(database: database)
        participants = ParticipantRegistry()
        mediaServers = MediaServerRegistry(placements: try roomStore.placements())
        wireHandlers = WireHandlers()
        wireServer = WireServer(
            socketPath: WireSocketPaths.roomd(in: config.socketDirectory), handlers: wireHandlers,
            logger: Logger(label: "roomd.wire"))
        let commands = sink ?? WireSignalingSink(server: wireServer)
        let context = RoomServerContext(
            rooms: roomStore, tokens: tokenStore, participants: participants, mediaServers: mediaServers,
            sink: commands, now: now, logger: logger)
        placement = PlacementService(context: context)
        rooms = RoomService(
            settings: .init(tokenTTLSeconds: config.tokenTTLSeconds, signalingURL: config.signalingURL,
                            turnURLs: config.turnURLs, turnSecret: config.turnSecret),
            context: context, placement: placement,
            joinLimiter: JoinRateLimiter(limits: .init(joinsPerSecond: Double(config.joinRatePerSecond))))
        presence = PresenceService(context: context, placement: placement)
        RoomControlPlane(presence: presence, placement: placement, logger: logger).register(on: wireHandlers)
    }

    public func router() -> Router<RoomRequestContext> {
        let router = Router(context: RoomRequestContext.self)
        let known = KnownRoutes()
        router.add(middleware: RequestMetricsMiddleware<RoomRequestContext>())
        router.add(middleware: ErrorMiddleware<RoomRequestContext>(routes: known))
        router.add(middleware: BodyLimitMiddleware<RoomRequestContext>())
        router.add(middleware: FileMiddleware<RoomRequestContext, LocalFileSystem>(
            config.webRoot, searchForIndexHtml: true, logger: logger))

        HealthRoutes<RoomRequestContext>(service: "roomd", registry: Observability.registry).addRoutes(to: router)
        OpenAPIController<RoomRequestContext>().addRoutes(to: router)
        WebClientController<RoomRequestContext>(webRoot: config.webRoot).addRoutes(to: router)
        JoinController<RoomRequestContext>(service: rooms).addRoutes(to: router)

        let admin = router.group().add(middleware: AdminAuthMiddleware<RoomRequestContext>(adminKey: adminKey))
        RoomsController<RoomRequestContext>(service: rooms).addRoutes(to: admin)
        ParticipantsController<RoomRequestContext>(service: rooms).addRoutes(to: admin)
        MediaServersController<RoomRequestContext>(placement: placement).addRoutes(to: admin)

        known.set(router.routes.map { ($0.method, $0.path.description) })
        return router
    }

    public func application() throws -> some ApplicationProtocol {
        guard let address = ListenAddress(config.httpAddress) else {
            throw RoomError.invalidRequest("ROOMD_HTTP must be host:port, got \(config.httpAddress)")
        }
        return Application(
            router: router(),
            // Room for a town hall's start (see signald); the kernel caps it at net.core.somaxconn.
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "roomd", backlog: 4096),
            logger: logger)
    }

    public var sweeper: PlacementSweeper { PlacementSweeper(placement: placement) }
}
