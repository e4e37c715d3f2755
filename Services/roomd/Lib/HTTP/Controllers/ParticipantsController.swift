import Hummingbird

/// Admin routes on a room's live participants: list, mute, kick.
struct ParticipantsController<Context: RequestContext> {
    let service: RoomService

    func addRoutes(to router: some RouterMethods<Context>) {
        router.get("v1/rooms/:roomId/participants") { _, context -> Response in
            let participants = try await service.participants(of: context.parameters.require("roomId"))
            return try JSONBody.response(ParticipantList(participants: participants))
        }
        router.post("v1/rooms/:roomId/participants/:participantId/mute") { request, context -> Response in
            let body = try await JSONBody.decode(MuteBody.self, from: request)
            let participant = try await service.setMuted(
                body.muted, participantId: context.parameters.require("participantId"),
                in: context.parameters.require("roomId"))
            return try JSONBody.response(participant)
        }
        router.delete("v1/rooms/:roomId/participants/:participantId") { _, context -> Response in
            try await service.kick(context.parameters.require("participantId"), from: context.parameters.require("roomId"))
            return Response(status: .noContent)
        }
    }
}
