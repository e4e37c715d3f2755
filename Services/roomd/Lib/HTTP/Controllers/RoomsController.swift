import Hummingbird

/// Admin routes on rooms: create, list, show, delete.
struct RoomsController<Context: RequestContext> {
    let service: RoomService

    func addRoutes(to router: some RouterMethods<Context>) {
        router.post("v1/rooms") { request, _ -> Response in
            let body = try await JSONBody.decode(CreateRoomBody.self, from: request)
            return try JSONBody.response(try await service.createRoom(body), status: .created)
        }
        router.get("v1/rooms") { _, _ -> Response in
            try JSONBody.response(RoomList(rooms: try await service.listRooms()))
        }
        router.get("v1/rooms/:roomId") { _, context -> Response in
            try JSONBody.response(try await service.room(context.parameters.require("roomId")))
        }
        router.delete("v1/rooms/:roomId") { _, context -> Response in
            try await service.deleteRoom(context.parameters.require("roomId"))
            return Response(status: .noContent)
        }
    }
}
