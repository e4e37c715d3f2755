import Foundation
import Logging
import Metrics
import Wire

/// The rooms and sessions of this signald: handles client messages, fans room events
/// out to every session of the room, and relays to roomd and the room's mediad.
public actor SessionHub {
    private var rooms: [String: RoomMembers] = [:]
    private let upstream: UpstreamLinks
    private let logger: Logger

    public init(upstream: UpstreamLinks, logger: Logger) {
        self.upstream = upstream
        self.logger = logger
    }

    public var sessionCount: Int { rooms.values.reduce(0) { $0 + $1.count } }

    /// Current presence, sent to roomd on every (re)connect.
    public func presence() -> SyncPresence {
        SyncPresence(rooms: rooms.map { roomId, members in
            .init(roomId: roomId, participants: members.members.map(\.participant))
        })
    }

    // MARK: - Client messages

    public func handle(_ message: ClientMessage, from session: SignalSession) async {
        do {
            switch message {
            case .join(let token): try await join(session, token: token)
            case .ping: session.send(.pong)
            case .leave:
                try requireJoined(session)
                await remove(session, reason: "left")
                session.close()
            case .offer(let sdp): try await offer(session, sdp: sdp)
            case .candidate(let candidate): try await addCandidate(session, candidate)
            case .mute(let muted): try await setMuted(session, muted: muted, reportToRoomd: true)
            }
        } catch {
            let signalError = SignalError.from(error)
            Counter(label: "signald_errors_total", dimensions: [("code", signalError.code)]).increment()
            session.send(.error(signalError))
            if signalError.isFatal { session.close(code: 1008) }
        }
    }

    /// The socket closed (or stopped answering pings): the participant leaves.
    public func disconnected(_ session: SignalSession) async {
        await remove(session, reason: "disconnected")
    }

    private func requireJoined(_ session: SignalSession) throws {
        guard session.isJoined else { throw SignalError.notJoined }
    }

    private func join(_ session: SignalSession, token: String) async throws {
        guard !session.isJoined else { throw SignalError.alreadyJoined }
        let admission = try await upstream.admit(token: token)
        guard !session.isClosed else {
            upstream.reportLeft(ParticipantLeft(roomId: admission.roomId, participantId: admission.participant.id, reason: "disconnected"))
            return
        }
        let participantId = admission.participant.id
        let replaced = rooms[admission.roomId]?[participantId]
        rooms[admission.roomId, default: RoomMembers()][participantId] = RoomMembers.Member(
            participant: admission.participant, session: session, mediaServerId: admission.mediaServerId)
        session.admitted(admission)
        // Everyone this signald has in the room: each learns of a later join from its
        // `participant-joined`, so nobody is listed twice (roomd's view could run ahead).
        let others = rooms[admission.roomId]?.others(than: participantId) ?? (participants: [], json: "[]")
        session.send(.joined(participantId: participantId, roomId: admission.roomId, participants: others.participants),
                     encoded: ServerMessage.joinedJSON(participantId: participantId, roomId: admission.roomId, participantsJSON: others.json))
        if let replaced {
            // A second session with the same token takes over; the old one just goes.
            replaced.session.send(.error(code: "session_replaced", message: "this participant joined from another session"))
            replaced.session.close(code: 1000)
        } else {
            broadcast(.participantJoined(admission.participant), in: admission.roomId, except: participantId)
        }
        logger.info("participant joined", metadata: ["room": "\(admission.roomId)", "participant": "\(participantId)"])
    }

    private func offer(_ session: SignalSession, sdp: String) async throws {
        let member = try currentMember(session)
        let answer = try await upstream.createMediaSession(
            on: member.mediaServerId,
            CreateMediaSession(roomId: member.roomId, participantId: member.participant.id, offerSdp: sdp, muted: member.participant.muted))
        session.hasMediaSession = true
        session.send(.answer(sdp: answer.answerSdp))
    }

    private func addCandidate(_ session: SignalSession, _ candidate: String?) async throws {
        let member = try currentMember(session)
        guard session.hasMediaSession else { throw SignalError.noMediaSession }
        try await upstream.addCandidate(
            on: member.mediaServerId,
            AddRemoteCandidate(roomId: member.roomId, participantId: member.participant.id, candidate: candidate))
    }

    private func setMuted(_ session: SignalSession, muted: Bool, reportToRoomd: Bool) async throws {
        let member = try currentMember(session)
        await applyMute(roomId: member.roomId, participantId: member.participant.id, muted: muted, reportToRoomd: reportToRoomd)
    }

    private func currentMember(_ session: SignalSession) throws -> (roomId: String, participant: Participant, mediaServerId: String) {
        guard let roomId = session.roomId, let participantId = session.participantId else { throw SignalError.notJoined }
        guard let member = rooms[roomId]?[participantId], member.session == session else { throw SignalError.notJoined }
        return (roomId, member.participant, member.mediaServerId)
    }

    // MARK: - Events from roomd and mediad

    /// Admin mute (from roomd) or self-mute: mediad leaves them out of the mix and
    /// everyone in the room, the muted participant included, hears of it.
    public func applyMute(roomId: String, participantId: String, muted: Bool, reportToRoomd: Bool) async {
        guard var member = rooms[roomId]?[participantId] else { return }
        member.participant.muted = muted
        if muted { member.participant.talking = false }
        rooms[roomId]?[participantId] = member
        if member.session.hasMediaSession {
            try? await upstream.setMuted(on: member.mediaServerId, SetSessionMuted(roomId: roomId, participantId: participantId, muted: muted))
        }
        guard let updated = rooms[roomId]?[participantId]?.participant else { return }
        broadcast(.participantUpdated(updated), in: roomId)
        if reportToRoomd { upstream.reportChanged(ParticipantChanged(roomId: roomId, participant: updated)) }
    }

    public func setTalking(roomId: String, participantId: String, talking: Bool) {
        guard var member = rooms[roomId]?[participantId], member.participant.talking != talking else { return }
        if talking && member.participant.muted { return }
        member.participant.talking = talking
        rooms[roomId]?[participantId] = member
        broadcast(.participantUpdated(member.participant), in: roomId)
        upstream.reportChanged(ParticipantChanged(roomId: roomId, participant: member.participant))
    }

    public func kick(roomId: String, participantId: String) async {
        guard let member = rooms[roomId]?[participantId] else { return }
        member.session.send(.kicked)
        await remove(member.session, reason: "kicked")
        member.session.close(code: 1000)
    }

    public func closeRoom(roomId: String) async {
        for member in rooms[roomId]?.members ?? [] {
            member.session.send(.roomClosed)
            await remove(member.session, reason: "room_closed", announce: false)
            member.session.close(code: 1000)
        }
        rooms[roomId] = nil
    }

    /// The room's mediad died; roomd has re-placed the room, so clients rejoin.
    public func mediaServerLost(roomIds: [String]) async {
        for roomId in roomIds {
            for member in rooms[roomId]?.members ?? [] {
                member.session.send(.error(code: "media_server_lost", message: "the media server hosting this room stopped; join again"))
                await remove(member.session, reason: "media_server_lost", announce: false, closeMedia: false)
                member.session.close(code: 1011)
            }
        }
    }

    /// mediad could not connect (ICE/DTLS failed, timed out) or closed the session.
    public func mediaSessionEnded(_ event: MediaSessionStateChanged) async {
        guard let member = rooms[event.roomId]?[event.participantId] else { return }
        let code = event.code ?? (event.state == .failed ? "media_failed" : "media_closed")
        member.session.send(.error(code: code, message: event.message ?? "the media session ended"))
        await remove(member.session, reason: code, closeMedia: false)
        member.session.close(code: 1011)
    }

    // MARK: - Internals

    private func remove(_ session: SignalSession, reason: String, announce: Bool = true, closeMedia: Bool = true) async {
        guard let roomId = session.roomId, let participantId = session.participantId,
              let member = rooms[roomId]?[participantId], member.session == session else { return }
        rooms[roomId]?[participantId] = nil
        if rooms[roomId]?.isEmpty == true { rooms[roomId] = nil }
        upstream.reportLeft(ParticipantLeft(roomId: roomId, participantId: participantId, reason: reason))
        if announce { broadcast(.participantLeft(participantId: participantId), in: roomId) }
        if closeMedia && session.hasMediaSession {
            try? await upstream.closeMediaSession(
                on: member.mediaServerId, CloseMediaSession(roomId: roomId, participantId: participantId, reason: reason))
        }
        logger.info("participant left", metadata: ["room": "\(roomId)", "participant": "\(participantId)", "reason": "\(reason)"])
    }

    private func broadcast(_ message: ServerMessage, in roomId: String, except excluded: String? = nil) {
        var encoded: String?
        for member in rooms[roomId]?.members ?? [] where member.participant.id != excluded {
            if encoded == nil { encoded = message.json }
            member.session.send(message, encoded: encoded)
        }
    }
}
