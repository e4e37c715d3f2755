import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Metrics
import NIOConcurrencyHelpers

/// `GET /v1/signal`: origin check, session limit, then one JSON text message at a time.
struct SignalingRoute: Sendable {
    let hub: SessionHub
    let config: SignalServerConfig
    let logger: Logger
    let openSessions = NIOLockedValueBox(0)

    func addRoutes(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("v1/signal") { request, _ in
            guard config.allows(origin: request.headers[.origin]) else {
                Counter(label: "signald_rejected_upgrades_total", dimensions: [("reason", "origin")]).increment()
                throw HTTPError(.forbidden, message: "origin not allowed")
            }
            guard openSessions.withLockedValue({ $0 }) < config.maxSessions else {
                Counter(label: "signald_rejected_upgrades_total", dimensions: [("reason", "capacity")]).increment()
                throw HTTPError(.serviceUnavailable, message: "too many sessions")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            openSessions.withLockedValue { $0 += 1 }
            Gauge(label: "signald_sessions").record(openSessions.withLockedValue { $0 })
            defer {
                openSessions.withLockedValue { $0 -= 1 }
                Gauge(label: "signald_sessions").record(openSessions.withLockedValue { $0 })
            }
            let session = SignalSession()
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Writer: drains the outbox in order; a queued close ends the socket.
                group.addTask {
                    for await item in session.outbox {
                        switch item {
                        case .message(let message, let encoded):
                            try await outbound.write(.text(encoded ?? message.json))
                        case .close(let code):
                            try await outbound.close(.init(codeNumber: Int(code)), reason: nil)
                            return
                        }
                    }
                }
                // Join deadline.
                group.addTask {
                    try await Task.sleep(for: config.joinTimeout)
                    // The deadline is for the client to send `join`, not for a busy roomd to answer it.
                    if !session.joinReceived && !session.isClosed {
                        Counter(label: "signald_errors_total", dimensions: [("code", SignalError.joinTimeout.code)]).increment()
                        session.send(.error(.joinTimeout))
                        session.close(code: 1008)
                    }
                }
                await readLoop(inbound, session: session)
                await hub.disconnected(session)
                session.close()
                group.cancelAll()
            }
        }
    }

    private func readLoop(_ inbound: WebSocketInboundStream, session: SignalSession) async {
        var limiter = MessageRateLimiter(perSecond: config.messagesPerSecond, burst: config.messageBurst)
        do {
            for try await message in inbound.messages(maxSize: 64 * 1024) {
                guard !session.isClosed else { return }
                guard limiter.allow() else {
                    refuse(.rateLimited, session)
                    continue
                }
                guard case .text(let text) = message else {
                    refuse(.binaryNotSupported, session)
                    continue
                }
                let started = ContinuousClock.now
                do {
                    let decoded = try ClientMessage.decode(text)
                    Counter(label: "signald_messages_total", dimensions: [("type", decoded.typeName)]).increment()
                    if case .join = decoded { session.markJoinReceived() } else if !session.isJoined {
                        refuse(.notJoined, session)
                        continue
                    }
                    await hub.handle(decoded, from: session)
                    Timer(label: "signald_relay_seconds", dimensions: [("type", decoded.typeName)])
                        .recordNanoseconds((ContinuousClock.now - started).nanoseconds)
                } catch let error as SignalError {
                    refuse(error, session)
                }
            }
        } catch {
            logger.debug("websocket ended", metadata: ["error": "\(error)"])
        }
    }

    /// Every refused message is answered with an `error` and counted by its code.
    private func refuse(_ error: SignalError, _ session: SignalSession) {
        Counter(label: "signald_errors_total", dimensions: [("code", error.code)]).increment()
        session.send(.error(error))
    }
}

extension ClientMessage {
    var typeName: String {
        switch self {
        case .join: "join"
        case .offer: "offer"
        case .candidate: "candidate"
        case .mute: "mute"
        case .leave: "leave"
        case .ping: "ping"
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
