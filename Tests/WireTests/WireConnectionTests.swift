import Foundation
import NIOCore
import XCTest
@testable import Wire

/// Real Unix sockets: a server and a client in one process.
final class WireConnectionTests: XCTestCase {
    var directory = ""
    var socketPath: String { WireSocketPaths.roomd(in: directory) }

    override func setUp() {
        directory = WireTestSupport.temporaryDirectory()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func startServer(_ handlers: WireHandlers = WireTestSupport.echoHandlers(), maxFrameSize: Int = 1 << 20) async throws -> WireServer {
        let server = WireServer(socketPath: socketPath, handlers: handlers, maxFrameSize: maxFrameSize, logger: WireTestSupport.logger)
        try await server.start()
        return server
    }

    private func startClient(_ handlers: WireHandlers = WireHandlers()) -> (WireClient, Task<Void, Error>) {
        let client = WireClient(socketPath: socketPath, handlers: handlers, logger: WireTestSupport.logger,
                                backoff: (.milliseconds(20), .milliseconds(200)))
        let task = Task { try await client.run() }
        return (client, task)
    }

    func testCallAndReplyAndRemoteError() async throws {
        let server = try await startServer()
        let (client, task) = startClient()
        defer { client.stop(); task.cancel() }
        let reply = try await client.call(Echo(text: "hi"))
        XCTAssertEqual(reply, EchoReply(text: "hi"))
        do {
            _ = try await client.call(Echo(text: "fail"))
            XCTFail("expected an error reply")
        } catch let error as WireError {
            XCTAssertEqual(error, .remote(code: "test_failure", message: "asked to fail"))
        }
        await server.shutdown()
    }

    func testSocketFileIsPrivate() async throws {
        let server = try await startServer()
        let attributes = try FileManager.default.attributesOfItem(atPath: socketPath)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let dirAttributes = try FileManager.default.attributesOfItem(atPath: directory)
        XCTAssertEqual((dirAttributes[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        await server.shutdown()
        XCTAssertFalse(FileManager.default.fileExists(atPath: socketPath), "shutdown removes the socket file")
    }

    func testCallTimesOutInsteadOfHanging() async throws {
        let server = try await startServer()
        let (client, task) = startClient()
        defer { client.stop(); task.cancel() }
        let started = ContinuousClock.now
        do {
            _ = try await client.call(Echo(text: "slow", delayMilliseconds: 2000), timeout: .milliseconds(200))
            XCTFail("expected a timeout")
        } catch let error as WireError {
            XCTAssertEqual(error, .timeout(method: Echo.method))
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
        await server.shutdown()
    }

    func testInFlightCallFailsWhenServerGoesAway() async throws {
        let server = try await startServer()
        let (client, task) = startClient()
        defer { client.stop(); task.cancel() }
        _ = try await client.call(Echo(text: "warm-up"))
        async let slow = client.call(Echo(text: "slow", delayMilliseconds: 3000), timeout: .seconds(10))
        try await Task.sleep(for: .milliseconds(100))
        await server.shutdown()
        do {
            _ = try await slow
            XCTFail("expected disconnected")
        } catch let error as WireError {
            XCTAssertEqual(error, .disconnected)
        }
    }

    func testClientReconnectsAfterServerRestartAndRunsOnConnectAgain() async throws {
        var server = try await startServer()
        let connects = Counter()
        let client = WireClient(socketPath: socketPath, logger: WireTestSupport.logger,
                                backoff: (.milliseconds(20), .milliseconds(200))) { _ in connects.increment() }
        let task = Task { try await client.run() }
        defer { client.stop(); task.cancel() }
        _ = try await client.call(Echo(text: "one"))
        await server.shutdown()
        let dropped = await WireTestSupport.eventually { client.connection == nil }
        XCTAssertTrue(dropped)
        server = try await startServer()
        let reply = try await client.call(Echo(text: "two"), timeout: .seconds(5))
        XCTAssertEqual(reply.text, "two")
        XCTAssertEqual(connects.value, 2)
        await server.shutdown()
    }

    func testStaleSocketFileIsReplacedButLiveOneIsRefused() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: socketPath, contents: Data("stale".utf8))
        let server = try await startServer()
        do {
            _ = try await startServer()
            XCTFail("a second server on a live socket must be refused")
        } catch let error as WireError {
            XCTAssertEqual(error, .addressInUse(socketPath))
        }
        await server.shutdown()
    }

    func testOversizeFrameClosesTheConnection() async throws {
        let server = try await startServer(maxFrameSize: 64)
        let channel = try await WireTestSupport.rawConnect(socketPath)
        var header = ByteBuffer()
        header.writeInteger(UInt32(10_000))
        try await channel.writeAndFlush(header)
        let closed = await WireTestSupport.eventually { !channel.isActive }
        XCTAssertTrue(closed)
        await server.shutdown()
    }

    func testVersionMismatchGetsAnErrorReplyAndClose() async throws {
        let server = try await startServer()
        let channel = try await WireTestSupport.rawConnect(socketPath)
        let collector = ByteCollector()
        try await channel.pipeline.addHandler(collector)
        try await channel.writeAndFlush(WireTestSupport.frame(#"{"v":99,"kind":"request","id":1,"method":"test.echo","body":{"text":"x"}}"#))
        let closed = await WireTestSupport.eventually { !channel.isActive }
        XCTAssertTrue(closed)
        XCTAssertTrue(collector.text.contains("version_mismatch"), collector.text)
        await server.shutdown()
    }

    func testEventsArriveInOrderAndServerCanNotifyClients() async throws {
        let serverHandlers = WireTestSupport.echoHandlers()
        let received = Recorder()
        serverHandlers.on(Note.self) { note, _ in await received.add(note.index) }
        let server = try await startServer(serverHandlers)
        let clientHandlers = WireHandlers()
        let pushed = Recorder()
        clientHandlers.on(Note.self) { note, _ in await pushed.add(note.index) }
        let (client, task) = startClient(clientHandlers)
        defer { client.stop(); task.cancel() }
        _ = try await client.call(Echo(text: "up"))
        for index in 0..<100 { client.notify(Note(index: index)) }
        let all = await WireTestSupport.eventually { await received.values.count == 100 }
        XCTAssertTrue(all)
        let values = await received.values
        XCTAssertEqual(values, Array(0..<100))
        server.broadcast(Note(index: 42))
        let gotPush = await WireTestSupport.eventually { await pushed.values == [42] }
        XCTAssertTrue(gotPush)
        await server.shutdown()
    }

    func testUnknownMethodIsAnErrorReply() async throws {
        let server = try await startServer(WireHandlers())
        let (client, task) = startClient()
        defer { client.stop(); task.cancel() }
        do {
            _ = try await client.call(Echo(text: "x"))
            XCTFail("expected unknown_method")
        } catch let error as WireError {
            XCTAssertEqual(error.code, "unknown_method")
        }
        await server.shutdown()
    }
}

actor Recorder {
    var values: [Int] = []
    func add(_ value: Int) { values.append(value) }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

final class ByteCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let lock = NSLock()
    private var collected = ""
    var text: String { lock.withLock { collected } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let string = buffer.readString(length: buffer.readableBytes) ?? ""
        lock.withLock { collected += string }
    }
}
