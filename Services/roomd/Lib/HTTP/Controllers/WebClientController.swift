import Foundation
import Hummingbird

/// `/admin` → `admin.html` from the web root (the rest of the web root, `/` → `index.html`
/// included, is served by `FileMiddleware`).
struct WebClientController<Context: RequestContext> {
    let webRoot: String

    func addRoutes(to router: some RouterMethods<Context>) {
        router.get("admin") { _, _ -> Response in
            let path = (webRoot as NSString).appendingPathComponent("admin.html")
            guard let data = FileManager.default.contents(atPath: path) else { throw RoomError.notFound("page") }
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
