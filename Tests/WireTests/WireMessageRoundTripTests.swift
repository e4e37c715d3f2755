import Foundation
import XCTest
@testable import Wire

/// Every message survives encode → decode unchanged under its method name.
final class WireMessageRoundTripTests: XCTestCase {
    private func roundTrip<T: Codable & Equatable>(_ value: T, method: String) throws {
        let data = try WireCoding.encode(WireOutgoing(kind: .event, id: 7, method: method, body: value))
        let header = try WireCoding.header(of: data)
        XCTAssertEqual(header.method, method)
        XCTAssertEqual(header.v, WireProtocol.version)
        XCTAssertEqual(try WireCoding.body(T.self, of: data), value)
    }

    func testAllMessagesRoundTrip() throws {
        let alice = Participant(id: "p1", displayName: "Alice", muted: true, talking: false, joinedAt: "2026-11-25T21:40:00Z")
        let load = MediaServerLoad(rooms: 2, participants: 7, tickCpuPercent: 3.5)
        try roundTrip(RegisterMediaServer(id: "m1", udpAddress: "127.0.0.1:40000", capacity: 500, load: load), method: RegisterMediaServer.method)
        try roundTrip(RegisterMediaServerReply(heartbeatIntervalSeconds: 1), method: RegisterMediaServer.method)
        try roundTrip(MediaServerHeartbeat(id: "m1", load: load), method: MediaServerHeartbeat.name)
        try roundTrip(AdmitParticipant(token: "t"), method: AdmitParticipant.method)
        try roundTrip(Admission(roomId: "r", participant: alice, mediaServerId: "m1"), method: AdmitParticipant.method)
        try roundTrip(ParticipantLeft(roomId: "r", participantId: "p1", reason: "left"), method: ParticipantLeft.name)
        try roundTrip(ParticipantChanged(roomId: "r", participant: alice), method: ParticipantChanged.name)
        try roundTrip(SyncPresence(rooms: [.init(roomId: "r", participants: [alice])]), method: SyncPresence.method)
        try roundTrip(SetParticipantMuted(roomId: "r", participant: alice), method: SetParticipantMuted.name)
        try roundTrip(KickParticipant(roomId: "r", participantId: "p1"), method: KickParticipant.name)
        try roundTrip(CloseRoom(roomId: "r"), method: CloseRoom.name)
        try roundTrip(MediaServerLost(mediaServerId: "m1", roomIds: ["r"]), method: MediaServerLost.name)
        try roundTrip(CreateMediaSession(roomId: "r", participantId: "p1", offerSdp: "v=0\r\n"), method: CreateMediaSession.method)
        try roundTrip(MediaSessionAnswer(answerSdp: "v=0\r\n"), method: CreateMediaSession.method)
        try roundTrip(AddRemoteCandidate(roomId: "r", participantId: "p1", candidate: nil), method: AddRemoteCandidate.method)
        try roundTrip(SetSessionMuted(roomId: "r", participantId: "p1", muted: true), method: SetSessionMuted.method)
        try roundTrip(CloseMediaSession(roomId: "r", participantId: "p1", reason: "kicked"), method: CloseMediaSession.method)
        try roundTrip(MediaSessionStateChanged(roomId: "r", participantId: "p1", state: .failed, code: "dtls_failed"), method: MediaSessionStateChanged.name)
        try roundTrip(ParticipantTalking(roomId: "r", participantId: "p1", talking: true), method: ParticipantTalking.name)
    }

    func testGarbageIsAMalformedFrameNotACrash() {
        for garbage in ["", "{", "[]", #"{"v":"x"}"#, #"{"v":1,"kind":"nope","method":"m"}"#] {
            XCTAssertThrowsError(try WireCoding.header(of: Data(garbage.utf8)))
        }
        XCTAssertThrowsError(try WireCoding.body(Echo.self, of: Data(#"{"body":{"text":5}}"#.utf8)))
    }
}
