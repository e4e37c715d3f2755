import Hummingbird

/// `GET /openapi.json`.
struct OpenAPIController<Context: RequestContext> {
    func addRoutes(to router: some RouterMethods<Context>) {
        router.get("openapi.json") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
