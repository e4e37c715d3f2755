import Hummingbird

/// `GET /v1/media-servers`: the mediad instances roomd knows and their health.
struct MediaServersController<Context: RequestContext> {
    let placement: PlacementService

    func addRoutes(to router: some RouterMethods<Context>) {
        router.get("v1/media-servers") { _, _ -> Response in
            try JSONBody.response(MediaServerList(mediaServers: await placement.statuses()))
        }
    }
}
