import Hummingbird

/// Refuses any request whose declared body exceeds 64 KB before a handler runs.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > JSONBody.maxBytes {
            throw RoomError.payloadTooLarge
        }
        return try await next(request, context)
    }
}
