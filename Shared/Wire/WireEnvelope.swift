import Foundation

/// What every frame carries around its body. The body is decoded separately, once
/// the method tells which type it has.
public struct WireHeader: Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case request, reply, event }
    public var v: Int
    public var kind: Kind
    public var id: UInt64?
    public var method: String
    public var error: WireErrorBody?
}

public struct WireErrorBody: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// Header plus typed body, for encoding.
struct WireOutgoing<Body: Encodable>: Encodable {
    var v: Int = WireProtocol.version
    var kind: WireHeader.Kind
    var id: UInt64?
    var method: String
    var error: WireErrorBody?
    var body: Body?
}

/// Decodes only the body of a frame.
struct WireBodyOnly<Body: Decodable>: Decodable {
    var body: Body
}

enum WireCoding {
    static func encode<Body: Encodable>(_ frame: WireOutgoing<Body>) throws -> Data {
        do { return try JSONEncoder().encode(frame) } catch {
            throw WireError.malformedFrame("cannot encode \(frame.method): \(error)")
        }
    }

    static func header(of data: Data) throws -> WireHeader {
        do { return try JSONDecoder().decode(WireHeader.self, from: data) } catch {
            throw WireError.malformedFrame("bad envelope")
        }
    }

    static func body<Body: Decodable>(_ type: Body.Type, of data: Data) throws -> Body {
        do { return try JSONDecoder().decode(WireBodyOnly<Body>.self, from: data).body } catch {
            throw WireError.malformedFrame("bad body for \(Body.self)")
        }
    }
}
