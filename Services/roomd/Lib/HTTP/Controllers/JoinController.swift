import Hummingbird

/// `POST /v1/rooms/{roomId}/join`: open to anyone who knows the room (and its PIN).
struct JoinController<Context: RequestContext> {
    let service: RoomService

    func addRoutes(to router: some RouterMethods<Context>) {
        router.post("v1/rooms/:roomId/join") { request, context -> Response in
            let body = try await JSONBody.decode(JoinRoomBody.self, from: request)
            let client = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "unknown"
            return try JSONBody.response(try await service.join(context.parameters.require("roomId"), body, client: client),
                                         status: .created)
        }
    }
}
