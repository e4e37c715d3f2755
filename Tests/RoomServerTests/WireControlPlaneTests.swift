import Foundation
import Logging
import NIOConcurrencyHelpers
import XCTest
@testable import RoomServer
@testable import Wire

/// roomd's control plane over a real Unix socket, with a fake mediad and a fake signald.
final class WireControlPlaneTests: XCTestCase {
    final class Inbox: @unchecked Sendable {
        private let box = NIOLockedValueBox<[any WireEvent]>([])
        func append(_ event: any WireEvent) { box.withLockedValue { $0.append(event) } }
        func of<Event: WireEvent>(_ type: Event.Type) -> [Event] { box.withLockedValue { $0.compactMap { $0 as? Event } } }
    }

    func testMediadAndSignaldOverTheSocket() async throws {
        let fixture = try RoomdFixture(wireSink: true)
        defer { fixture.cleanup() }
        let app = fixture.app
        try await app.wireServer.start()
        let socket = WireSocketPaths.roomd(in: fixture.config.socketDirectory)
        XCTAssertTrue(FileManager.default.fileExists(atPath: socket))
        let logger = Logger(label: "wire-test")

        let register = RegisterMediaServer(id: "m1", udpAddress: "127.0.0.1:40000", capacity: 100, load: .init())
        let replies = NIOLockedValueBox<[RegisterMediaServerReply]>([])
        let mediad = WireClient(socketPath: socket, logger: logger) { connection in
            let reply = try await connection.call(register)
            replies.withLockedValue { $0.append(reply) }
        }
        let mediadTask = Task { try await mediad.run() }

        let inbox = Inbox()
        let signaldHandlers = WireHandlers()
        signaldHandlers.on(SetParticipantMuted.self) { event, _ in inbox.append(event) }
        signaldHandlers.on(KickParticipant.self) { event, _ in inbox.append(event) }
        signaldHandlers.on(CloseRoom.self) { event, _ in inbox.append(event) }
        signaldHandlers.on(MediaServerLost.self) { event, _ in inbox.append(event) }
        let signald = WireClient(socketPath: socket, handlers: signaldHandlers, logger: logger) { connection in
            _ = try await connection.call(SyncPresence(rooms: []))
        }
        let signaldTask = Task { try await signald.run() }
        defer {
            mediad.stop()
            signald.stop()
            mediadTask.cancel()
            signaldTask.cancel()
        }

        let registered = await eventually { await app.mediaServers.instance("m1") != nil }
        XCTAssertTrue(registered)
        XCTAssertEqual(replies.withLockedValue { $0 }.first?.heartbeatIntervalSeconds, 1)
        XCTAssertTrue(app.wireServer.connections.contains { $0.label == "mediad:m1" })
        let signaldReady = await eventually { signald.connection != nil && app.wireServer.connections.contains { $0.label == "signald" } }
        XCTAssertTrue(signaldReady)

        mediad.notify(MediaServerHeartbeat(id: "m1", load: .init(rooms: 0, participants: 3)))
        let heartbeatSeen = await eventually { await app.placement.statuses().first?.participants == 3 }
        XCTAssertTrue(heartbeatSeen)

        // Admission over the socket, and its error codes.
        let room = try await fixture.createRoom(max: 1)
        let grant = try await fixture.join(room.id)
        let extra = try await fixture.join(room.id, name: "Late")
        let admission = try await signald.call(AdmitParticipant(token: grant.token))
        XCTAssertEqual(admission.roomId, room.id)
        XCTAssertEqual(admission.mediaServerId, "m1")
        XCTAssertEqual(admission.participant.id, grant.participantId)
        do {
            _ = try await signald.call(AdmitParticipant(token: "forged"))
            XCTFail("forged token admitted")
        } catch let error as WireError {
            XCTAssertEqual(error.code, "invalid_token")
        }
        do {
            _ = try await signald.call(AdmitParticipant(token: extra.token))
            XCTFail("room over capacity")
        } catch let error as WireError {
            XCTAssertEqual(error.code, "room_full")
        }

        // Events from signald update the live list.
        var talking = admission.participant
        talking.talking = true
        signald.notify(ParticipantChanged(roomId: room.id, participant: talking))
        let talkingSeen = await eventually { (try? await app.rooms.participants(of: room.id).first?.talking) == true }
        XCTAssertTrue(talkingSeen)

        // Admin commands reach signald.
        _ = try await app.rooms.setMuted(true, participantId: grant.participantId, in: room.id)
        let muteSeen = await eventually { inbox.of(SetParticipantMuted.self).first?.participant.muted == true }
        XCTAssertTrue(muteSeen)

        signald.notify(ParticipantLeft(roomId: room.id, participantId: grant.participantId, reason: "left"))
        let leftSeen = await eventually { (try? await app.rooms.room(room.id).participantCount) == 0 }
        XCTAssertTrue(leftSeen)

        // The mediad drops: its rooms are re-placed (nowhere here) and signald hears about it.
        mediad.stop()
        let lossSeen = await eventually { !inbox.of(MediaServerLost.self).isEmpty }
        XCTAssertTrue(lossSeen)
        XCTAssertEqual(inbox.of(MediaServerLost.self).first?.mediaServerId, "m1")
        XCTAssertEqual(inbox.of(MediaServerLost.self).first?.roomIds, [room.id])
        let observed9 = await app.placement.statuses().first?.healthy
        XCTAssertEqual(observed9, false)
        let observed10 = await app.mediaServers.placement(of: room.id)
        XCTAssertNil(observed10)

        try await app.rooms.deleteRoom(room.id)
        let closeSeen = await eventually { inbox.of(CloseRoom.self).map(\.roomId) == [room.id] }
        XCTAssertTrue(closeSeen)

        await app.wireServer.shutdown()
        XCTAssertFalse(FileManager.default.fileExists(atPath: socket))
    }
}
