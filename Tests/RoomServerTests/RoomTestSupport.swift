import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import XCTest
@testable import RoomServer
@testable import Wire

/// Commands roomd sent to signald, recorded by name.
final class RecordingSink: SignalingCommandSink, @unchecked Sendable {
    private let lock = NIOLock()
    private var _events: [any WireEvent] = []

    func send<Event: WireEvent>(_ event: Event) {
        lock.withLock { _events.append(event) }
    }

    var events: [any WireEvent] { lock.withLock { _events } }

    func events<Event: WireEvent>(of type: Event.Type) -> [Event] {
        events.compactMap { $0 as? Event }
    }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let box = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { box.withLockedValue { $0 } }
    func advance(by seconds: TimeInterval) { box.withLockedValue { $0 += seconds } }
}

/// A roomd built over a private temp directory (database, sockets, web root), removed in `cleanup()`.
final class RoomdFixture {
    static let adminKey = "test-admin-key-0123456789"
    let directory: String
    let sink: RecordingSink
    let clock: TestClock
    var config: RoomServerConfig
    private(set) var app: RoomServerApp

    private let commandSink: SignalingCommandSink?

    /// - Parameter wireSink: send commands to real signald connections instead of recording them.
    init(adminKey: String? = RoomdFixture.adminKey, tokenTTL: Int = 600, turnURLs: [String] = [], turnSecret: String? = nil,
         wireSink: Bool = false) throws {
        let recorder = RecordingSink(), testClock = TestClock()
        sink = recorder
        clock = testClock
        commandSink = wireSink ? nil : recorder
        let directory = Self.makeTemporaryDirectory()
        self.directory = directory
        config = RoomServerConfig(
            httpAddress: "127.0.0.1:0", databasePath: directory + "/data/roomd.sqlite", tokenTTLSeconds: tokenTTL,
            adminKey: adminKey, signalingURL: "ws://signal.test/v1/signal", turnURLs: turnURLs, turnSecret: turnSecret,
            socketDirectory: directory + "/run", webRoot: directory + "/web")
        try FileManager.default.createDirectory(atPath: directory + "/web", withIntermediateDirectories: true)
        try "<html>parley web client</html>".write(toFile: directory + "/web/index.html", atomically: true, encoding: .utf8)
        app = try RoomServerApp(config: config, sink: commandSink, now: { testClock.now }, logger: Logger(label: "roomd-test"))
    }

    static func makeTemporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "parley-roomd-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Builds a second roomd over the same files, as after a restart.
    func restart() throws {
        let clock = clock
        app = try RoomServerApp(config: config, sink: commandSink, now: { clock.now }, logger: Logger(label: "roomd-test"))
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let application = Application(router: app.router())
        try await application.test(.router, body)
    }

    /// Registers a healthy mediad (without a socket).
    func registerMediaServer(_ id: String, load: MediaServerLoad = .init()) async {
        _ = await app.placement.register(
            RegisterMediaServer(id: id, udpAddress: "127.0.0.1:4\(id.count)000", capacity: 1000, load: load),
            connectionID: UUID())
    }

    /// Creates a room through the service.
    func createRoom(name: String = "standup", pin: String? = nil, max: Int? = nil) async throws -> RoomResource {
        try await app.rooms.createRoom(try decode(CreateRoomBody.self, ["name": name, "pin": pin, "maxParticipants": max]))
    }

    func join(_ roomId: String, name: String = "Ada", pin: String? = nil) async throws -> JoinGrant {
        try await app.rooms.join(roomId, try decode(JoinRoomBody.self, ["displayName": name, "pin": pin]))
    }

    /// REST join followed by the signalling admission.
    @discardableResult
    func joinAndAdmit(_ roomId: String, name: String = "Ada") async throws -> Admission {
        let grant = try await join(roomId, name: name)
        return try await app.presence.admit(token: grant.token, connectionID: nil)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ fields: [String: Any?]) throws -> T {
        let data = try JSONSerialization.data(withJSONObject: fields.compactMapValues { $0 })
        return try JSONDecoder().decode(T.self, from: data)
    }
}

enum HTTPTestSupport {
    static var admin: HTTPFields {
        [.authorization: "Bearer \(RoomdFixture.adminKey)", .contentType: "application/json"]
    }

    static var anonymous: HTTPFields { [.contentType: "application/json"] }

    static func json(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(String(buffer: response.body))")
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(buffer: response.body))
    }

    /// Asserts the error shape and code.
    static func assertError(
        _ response: TestResponse, _ status: HTTPResponse.Status, _ code: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertEqual(response.status, status, String(buffer: response.body), file: file, line: line)
        let error = try XCTUnwrap(try object(response)["error"] as? [String: Any], file: file, line: line)
        XCTAssertEqual(error["code"] as? String, code, file: file, line: line)
        XCTAssertNotNil(error["message"] as? String, file: file, line: line)
    }
}

/// Waits until `condition` holds, up to `timeout`.
func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
