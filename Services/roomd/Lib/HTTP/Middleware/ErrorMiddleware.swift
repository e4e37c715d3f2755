import Hummingbird
import Logging

/// Turns every failure into `{"error": {"code", "message"}}`, telling an unknown route
/// (404 `not_found`) from a known route with the wrong method (405 `method_not_allowed`).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: KnownRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RoomError {
            return ErrorResponse.make(status: error.status, code: error.code, message: error.message)
        } catch let error as any HTTPResponseError {
            if error.status == .notFound {
                let allowed = routes.methods(matching: request.uri.path)
                if !allowed.isEmpty {
                    let methods = allowed.map(\.rawValue).sorted().joined(separator: ", ")
                    var headers = HTTPFields()
                    headers[.allow] = methods
                    return ErrorResponse.make(
                        status: .methodNotAllowed, code: RoomError.methodNotAllowed.code,
                        message: RoomError.methodNotAllowed.message, headers: headers)
                }
                return ErrorResponse.make(status: .notFound, code: "not_found", message: "no such route")
            }
            return ErrorResponse.make(status: error.status, code: Self.code(for: error.status), message: error.status.reasonPhrase)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return ErrorResponse.make(status: .internalServerError, code: RoomError.internalError.code, message: RoomError.internalError.message)
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "invalid_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "payload_too_large"
        case 429: "rate_limited"
        case 503: "unavailable"
        default: status.code >= 500 ? "internal_error" : "bad_request"
        }
    }
}
