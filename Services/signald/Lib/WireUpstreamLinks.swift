import Foundation
import Logging
import NIOConcurrencyHelpers
import Wire

/// The real links: one reconnecting Wire client to roomd and one per mediad instance,
/// opened the first time a room on that instance needs it.
public final class WireUpstreamLinks: UpstreamLinks, @unchecked Sendable {
    public let roomd: WireClient
    private let socketDirectory: String
    private let logger: Logger
    private let mediaHandlers: WireHandlers
    private let mediaClients = NIOLockedValueBox<[String: (client: WireClient, task: Task<Void, Error>)]>([:])

    public init(socketDirectory: String, roomdHandlers: WireHandlers, mediaHandlers: WireHandlers,
                logger: Logger, onRoomdConnect: @escaping @Sendable (WireConnection) async throws -> Void) {
        self.socketDirectory = socketDirectory
        self.logger = logger
        self.mediaHandlers = mediaHandlers
        self.roomd = WireClient(socketPath: WireSocketPaths.roomd(in: socketDirectory), handlers: roomdHandlers,
                                logger: logger, onConnect: onRoomdConnect)
    }

    public func admit(token: String) async throws -> Admission {
        try await roomd.call(AdmitParticipant(token: token))
    }

    public func reportLeft(_ event: ParticipantLeft) { roomd.notify(event) }
    public func reportChanged(_ event: ParticipantChanged) { roomd.notify(event) }

    public func createMediaSession(on mediaServerId: String, _ request: CreateMediaSession) async throws -> MediaSessionAnswer {
        try await media(mediaServerId).call(request, timeout: .seconds(10))
    }

    public func addCandidate(on mediaServerId: String, _ request: AddRemoteCandidate) async throws {
        _ = try await media(mediaServerId).call(request)
    }

    public func setMuted(on mediaServerId: String, _ request: SetSessionMuted) async throws {
        _ = try await media(mediaServerId).call(request)
    }

    public func closeMediaSession(on mediaServerId: String, _ request: CloseMediaSession) async throws {
        _ = try await media(mediaServerId).call(request, timeout: .seconds(2))
    }

    /// Stops every client (shutdown).
    public func stop() {
        roomd.stop()
        for (_, entry) in mediaClients.withLockedValue({ $0 }) {
            entry.client.stop()
            entry.task.cancel()
        }
    }

    private func media(_ id: String) -> WireClient {
        mediaClients.withLockedValue { clients in
            if let existing = clients[id] { return existing.client }
            let client = WireClient(socketPath: WireSocketPaths.mediad(id: id, in: socketDirectory),
                                    handlers: mediaHandlers, logger: logger)
            let task = Task { try await client.run() }
            clients[id] = (client, task)
            return client
        }
    }
}
