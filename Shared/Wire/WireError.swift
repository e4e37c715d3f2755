/// Every way a Wire exchange can fail; `code` is the stable snake_case name used in
/// replies, logs and the services' own error mapping.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No answer within the per-call timeout.
    case timeout(method: String)
    /// The connection closed (or was never up) while the call was in flight.
    case disconnected
    /// A frame announced a length above the limit; the connection is closed.
    case frameTooLarge(length: Int, limit: Int)
    /// The peer speaks another protocol version.
    case versionMismatch(got: Int, expected: Int)
    /// The frame is not a valid envelope or body.
    case malformedFrame(String)
    /// The other side answered with an error reply.
    case remote(code: String, message: String)
    /// The socket path is served by a live process already.
    case addressInUse(String)
    /// No handler is registered for the method.
    case unknownMethod(String)

    public var code: String {
        switch self {
        case .timeout: "wire_timeout"
        case .disconnected: "wire_disconnected"
        case .frameTooLarge: "frame_too_large"
        case .versionMismatch: "version_mismatch"
        case .malformedFrame: "malformed_frame"
        case .remote(let code, _): code
        case .addressInUse: "address_in_use"
        case .unknownMethod: "unknown_method"
        }
    }

    public var message: String {
        switch self {
        case .timeout(let method): "no reply to \(method) in time"
        case .disconnected: "the other service is not connected"
        case .frameTooLarge(let length, let limit): "frame of \(length) bytes exceeds the \(limit) byte limit"
        case .versionMismatch(let got, let expected): "protocol version \(got), expected \(expected)"
        case .malformedFrame(let why): "malformed frame: \(why)"
        case .remote(_, let message): message
        case .addressInUse(let path): "\(path) is in use by a running process"
        case .unknownMethod(let method): "unknown method \(method)"
        }
    }

    public var description: String { "\(code): \(message)" }
}

/// Errors a handler throws to answer with a specific code instead of `internal_error`.
public protocol WireCodedError: Error {
    var wireCode: String { get }
    var wireMessage: String { get }
}

extension WireError: WireCodedError {
    public var wireCode: String { code }
    public var wireMessage: String { message }
}
