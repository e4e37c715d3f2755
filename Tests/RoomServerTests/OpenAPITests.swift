import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import RoomServer

final class OpenAPITests: XCTestCase {
    func testEveryRouteIsDocumented() async throws {
        let fixture = try RoomdFixture()
        defer { fixture.cleanup() }
        let routes = fixture.app.router().routes.map { (method: $0.method, path: $0.path.description) }
        try await fixture.test { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            XCTAssertEqual(response.status, .ok)
            let document = try HTTPTestSupport.object(response)
            XCTAssertEqual((document["openapi"] as? String)?.prefix(2), "3.")
            let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
            XCTAssertGreaterThanOrEqual(routes.count, 12)
            for route in routes {
                // `/v1/rooms/:roomId` in the router is `/v1/rooms/{roomId}` in OpenAPI.
                let path = "/" + route.path.split(separator: "/").map { segment in
                    segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
                }.joined(separator: "/")
                let operations = try XCTUnwrap(paths[path], "\(path) missing from openapi.json")
                XCTAssertNotNil(operations[route.method.rawValue.lowercased()], "\(route.method) \(path) missing")
            }
            let schemas = try XCTUnwrap((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            for name in ["Room", "Join", "Participant", "MediaServer", "Error"] {
                XCTAssertNotNil(schemas[name], "schema \(name)")
            }
        }
    }
}
