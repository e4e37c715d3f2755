import Foundation
import Hummingbird

/// Reads request bodies (at most 64 KB, whatever Content-Length claims) and writes JSON responses.
enum JSONBody {
    static let maxBytes = 64 * 1024

    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        let data = try await collect(request)
        guard !data.isEmpty else { throw RoomError.invalidJSON("empty body") }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw RoomError.invalidJSON("cannot parse")
        } catch DecodingError.keyNotFound(let key, _) {
            throw RoomError.invalidRequest("missing field \(key.stringValue)")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw RoomError.invalidRequest("wrong type for \(fieldName(context.codingPath))")
        } catch DecodingError.dataCorrupted(let context) {
            throw RoomError.invalidRequest("invalid value for \(fieldName(context.codingPath))")
        } catch {
            throw RoomError.invalidJSON("cannot parse")
        }
    }

    /// Collects the body, failing with `payload_too_large` as soon as it passes the limit.
    static func collect(_ request: Request) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw RoomError.payloadTooLarge
        }
        var data = Data()
        for try await chunk in request.body {
            guard data.count + chunk.readableBytes <= maxBytes else { throw RoomError.payloadTooLarge }
            data.append(contentsOf: chunk.readableBytesView)
        }
        return data
    }

    static func response<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func fieldName(_ path: [CodingKey]) -> String {
        path.isEmpty ? "body" : path.map(\.stringValue).joined(separator: ".")
    }
}
