import Foundation
import Logging
import Wire

/// The REST side of roomd: rooms, join tokens and admin commands on participants.
public struct RoomService: Sendable, RoomServerContextual {
    public struct Settings: Sendable {
        public var tokenTTLSeconds: Int
        public var signalingURL: String
        public var turnURLs: [String]
        public var turnSecret: String?

        public init(tokenTTLSeconds: Int, signalingURL: String, turnURLs: [String] = [], turnSecret: String? = nil) {
            self.tokenTTLSeconds = tokenTTLSeconds
            self.signalingURL = signalingURL
            self.turnURLs = turnURLs
            self.turnSecret = turnSecret
        }
    }

    let settings: Settings
    let context: RoomServerContext
    let placement: PlacementService
    let joinLimiter: JoinRateLimiter

    public init(settings: Settings, context: RoomServerContext, placement: PlacementService,
                joinLimiter: JoinRateLimiter = JoinRateLimiter()) {
        self.settings = settings
        self.context = context
        self.placement = placement
        self.joinLimiter = joinLimiter
    }

    public func createRoom(_ body: CreateRoomBody) async throws -> RoomResource {
        let name = try RoomValidation.require(body.name, in: RoomValidation.nameLength, field: "name")
        let maxParticipants = body.maxParticipants ?? RoomValidation.defaultMaxParticipants
        guard RoomValidation.maxParticipants.contains(maxParticipants) else {
            throw RoomError.invalidRequest("maxParticipants must be 1–10000")
        }
        var pinHash: String?
        if let pin = body.pin {
            guard RoomValidation.pinLength.contains(pin.count) else { throw RoomError.invalidRequest("pin must be 1–64 characters") }
            pinHash = PinHasher.hash(pin)
        }
        let createdAt = Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
        let record = RoomRecord(
            id: SecureRandom.identifier(prefix: "r_"), name: name, pinHash: pinHash,
            maxParticipants: maxParticipants, createdAt: createdAt)
        try await rooms.insert(record)
        logger.info("room created", metadata: ["room": "\(record.id)", "maxParticipants": "\(maxParticipants)"])
        try await placement.place(record.id)
        RoomMetrics.setRooms(try await rooms.allRooms().count)
        return RoomResource(record, participantCount: 0)
    }

    public func listRooms() async throws -> [RoomResource] {
        let counts = await participants.counts()
        return try await rooms.allRooms().map { RoomResource($0, participantCount: counts[$0.id] ?? 0) }
    }

    public func room(_ roomId: String) async throws -> RoomResource {
        let record = try await existingRoom(roomId)
        return RoomResource(record, participantCount: await participants.count(in: roomId))
    }

    public func deleteRoom(_ roomId: String) async throws {
        guard RoomValidation.plausibleId(roomId), try await rooms.delete(id: roomId) else { throw RoomError.roomNotFound }
        await participants.removeRoom(roomId)
        await placement.forget(roomId)
        sink.send(CloseRoom(roomId: roomId))
        logger.info("room deleted", metadata: ["room": "\(roomId)"])
        RoomMetrics.setRooms(try await rooms.allRooms().count)
        RoomMetrics.setParticipants(await participants.total)
    }

    /// Checks the PIN and room capacity, places the room, and issues a token.
    public func join(_ roomId: String, _ body: JoinRoomBody, client: String = "local") async throws -> JoinGrant {
        let displayName = try RoomValidation.require(body.displayName, in: RoomValidation.displayNameLength, field: "displayName")
        if let pin = body.pin, !RoomValidation.pinLength.contains(pin.count) {
            throw RoomError.invalidRequest("pin must be 1–64 characters")
        }
        let room = try await existingRoom(roomId)
        do { try await joinLimiter.admit(address: client, roomId: roomId, now: now()) } catch {
            RoomMetrics.countJoin(outcome: "rate_limited")
            throw error
        }
        if let pinHash = room.pinHash {
            guard let pin = body.pin, PinHasher.verify(pin, against: pinHash) else {
                await joinLimiter.recordWrongPin(address: client, roomId: roomId, now: now())
                RoomMetrics.countJoin(outcome: "wrong_pin")
                throw RoomError.wrongPin
            }
        }
        guard await participants.count(in: roomId) < room.maxParticipants else {
            RoomMetrics.countJoin(outcome: "room_full")
            throw RoomError.roomFull
        }
        _ = try await placement.ensurePlacement(of: roomId)

        let token = SecureRandom.base64URL(byteCount: 32)
        let participantId = SecureRandom.identifier(prefix: "p_")
        let expiresAt = Date(timeIntervalSince1970: (now().timeIntervalSince1970 + Double(settings.tokenTTLSeconds)).rounded(.down))
        try await tokens.insert(TokenRecord(
            tokenHash: TokenHasher.hash(token), roomId: roomId, participantId: participantId,
            displayName: displayName, expiresAt: expiresAt, revoked: false))
        RoomMetrics.countJoin(outcome: "ok")
        logger.info("join token issued", metadata: ["room": "\(roomId)", "participant": "\(participantId)"])
        return JoinGrant(
            token: token, participantId: participantId, roomId: roomId, expiresAt: Timestamp.string(expiresAt),
            signalingUrl: settings.signalingURL, iceServers: iceServers(expiresAt: expiresAt, participantId: participantId))
    }

    func iceServers(expiresAt: Date, participantId: String) -> [IceServer] {
        guard !settings.turnURLs.isEmpty else { return [] }
        guard let secret = settings.turnSecret else { return [IceServer(urls: settings.turnURLs)] }
        let username = TurnCredentials.username(expiresAt: expiresAt, participantId: participantId)
        return [IceServer(urls: settings.turnURLs, username: username,
                          credential: TurnCredentials.password(username: username, secret: secret))]
    }

    public func participants(of roomId: String) async throws -> [Participant] {
        _ = try await existingRoom(roomId)
        return await participants.participants(in: roomId)
    }

    public func setMuted(_ muted: Bool, participantId: String, in roomId: String) async throws -> Participant {
        _ = try await existingRoom(roomId)
        guard let participant = await participants.setMuted(muted, participantId: participantId, in: roomId) else {
            throw RoomError.participantNotFound
        }
        sink.send(SetParticipantMuted(roomId: roomId, participant: participant))
        logger.info("participant muted by admin", metadata: ["room": "\(roomId)", "participant": "\(participantId)", "muted": "\(muted)"])
        return participant
    }

    /// Revokes the participant's token, drops it from the room and tells signald to disconnect it.
    public func kick(_ participantId: String, from roomId: String) async throws {
        _ = try await existingRoom(roomId)
        guard RoomValidation.plausibleId(participantId) else { throw RoomError.participantNotFound }
        let revoked = try await tokens.revoke(roomId: roomId, participantId: participantId)
        let removed = await participants.remove(participantId, from: roomId)
        guard revoked > 0 || removed != nil else { throw RoomError.participantNotFound }
        sink.send(KickParticipant(roomId: roomId, participantId: participantId))
        logger.info("participant kicked", metadata: ["room": "\(roomId)", "participant": "\(participantId)"])
        RoomMetrics.setParticipants(await participants.total)
    }

    func existingRoom(_ roomId: String) async throws -> RoomRecord {
        guard RoomValidation.plausibleId(roomId), let room = try await rooms.room(id: roomId) else { throw RoomError.roomNotFound }
        return room
    }
}
