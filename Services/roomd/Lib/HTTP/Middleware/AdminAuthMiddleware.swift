import Foundation
import Hummingbird

/// Admits requests carrying `Authorization: Bearer <admin key>`, compared in constant time.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let adminKey: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw RoomError.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
              ConstantTime.equals(Array(parts[1].trimmingCharacters(in: .whitespaces).utf8), Array(adminKey.utf8)) else {
            throw RoomError.unauthorized
        }
        return try await next(request, context)
    }
}
