import Foundation
import Logging
import NIOCore
import NIOPosix
@testable import Wire

/// A ping request used only by these tests.
struct Echo: WireRequest {
    static let method = "test.echo"
    typealias Reply = EchoReply
    var text: String
    var delayMilliseconds: Int = 0
}

struct EchoReply: Codable, Sendable, Equatable {
    var text: String
}

struct Note: WireEvent {
    static let name = "test.note"
    var index: Int
}

enum WireTestSupport {
    static let logger = Logger(label: "wire-test")

    /// A fresh private directory for sockets, removed by the caller.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "parley-wire-\(UUID().uuidString.prefix(8))"
        return path
    }

    static func echoHandlers() -> WireHandlers {
        let handlers = WireHandlers()
        handlers.on(Echo.self) { request, _ in
            if request.delayMilliseconds > 0 { try await Task.sleep(for: .milliseconds(request.delayMilliseconds)) }
            if request.text == "fail" { throw WireError.remote(code: "test_failure", message: "asked to fail") }
            return EchoReply(text: request.text)
        }
        return handlers
    }

    /// Waits until `condition` holds, up to `timeout`.
    static func eventually(timeout: Duration = .seconds(5), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    /// A raw socket connection for writing hand-made bytes.
    static func rawConnect(_ path: String) async throws -> Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path).get()
    }

    static func frame(_ json: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(json.utf8.count))
        buffer.writeString(json)
        return buffer
    }
}
