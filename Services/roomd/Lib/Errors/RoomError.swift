import Foundation
import Hummingbird
import Wire

/// Every way a roomd request can fail. `code` is the stable snake_case name used in
/// HTTP error bodies and Wire error replies alike.
public enum RoomError: Error, Equatable, Sendable {
    case notFound(String)
    case roomNotFound
    case participantNotFound
    case unauthorized
    case wrongPin
    case roomFull
    case noMediaServer
    case invalidJSON(String)
    case invalidRequest(String)
    case payloadTooLarge
    case methodNotAllowed
    case invalidToken
    case tokenExpired
    case rateLimited
    case internalError

    public var code: String {
        switch self {
        case .notFound: "not_found"
        case .roomNotFound: "room_not_found"
        case .participantNotFound: "participant_not_found"
        case .unauthorized: "unauthorized"
        case .wrongPin: "wrong_pin"
        case .roomFull: "room_full"
        case .noMediaServer: "no_media_server"
        case .invalidJSON: "invalid_json"
        case .invalidRequest: "invalid_request"
        case .payloadTooLarge: "payload_too_large"
        case .methodNotAllowed: "method_not_allowed"
        case .invalidToken: "invalid_token"
        case .tokenExpired: "token_expired"
        case .rateLimited: "rate_limited"
        case .internalError: "internal_error"
        }
    }

    public var status: HTTPResponse.Status {
        switch self {
        case .notFound, .roomNotFound, .participantNotFound: .notFound
        case .unauthorized, .invalidToken, .tokenExpired: .unauthorized
        case .wrongPin: .forbidden
        case .roomFull: .conflict
        case .noMediaServer: .serviceUnavailable
        case .invalidJSON, .invalidRequest: .badRequest
        case .payloadTooLarge: .contentTooLarge
        case .methodNotAllowed: .methodNotAllowed
        case .rateLimited: .tooManyRequests
        case .internalError: .internalServerError
        }
    }

    public var message: String {
        switch self {
        case .notFound(let what): "\(what) not found"
        case .roomNotFound: "no such room"
        case .participantNotFound: "no such participant in this room"
        case .unauthorized: "missing or wrong admin key"
        case .wrongPin: "missing or wrong PIN"
        case .roomFull: "the room is full"
        case .noMediaServer: "no media server is available"
        case .invalidJSON(let why): "request body is not valid JSON: \(why)"
        case .invalidRequest(let why): why
        case .payloadTooLarge: "request body exceeds 64 KB"
        case .methodNotAllowed: "method not allowed on this route"
        case .invalidToken: "unknown or revoked token"
        case .tokenExpired: "token expired"
        case .rateLimited: "too many attempts; slow down"
        case .internalError: "internal error"
        }
    }
}

extension RoomError: WireCodedError {
    public var wireCode: String { code }
    public var wireMessage: String { message }
}

extension RoomError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        ErrorResponse.make(status: status, code: code, message: message)
    }
}
