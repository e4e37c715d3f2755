import Foundation
import Hummingbird

/// The one error body roomd answers with: `{"error": {"code", "message"}}`.
enum ErrorResponse {
    private struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }
        var error: Detail
    }

    static func make(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
        let data = (try? JSONEncoder().encode(Body(error: .init(code: code, message: message)))) ?? Data()
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
