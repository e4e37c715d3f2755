import Foundation
import XCTest
@testable import MediaCore

final class IceCandidateTests: XCTestCase {
    func testTrickledChromiumCandidates() throws {
        let lines = try fixture("chromium-156-candidates.txt").split { $0 == "\n" || $0 == "\r\n" }
        let candidates = try lines.map { line -> String in
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try XCTUnwrap(json?["candidate"] as? String)
        }
        XCTAssertEqual(candidates.count, 2)
        let udp = try XCTUnwrap(IceCandidate.parseTrickled(candidates[0]))
        XCTAssertEqual(udp.foundation, "656810112")
        XCTAssertEqual(udp.component, 1)
        XCTAssertEqual(udp.priority, 2_122_260_223)
        XCTAssertEqual(udp.type, "host")
        XCTAssertEqual(udp.transportAddress, TransportAddress(ip: "127.0.0.1", port: 49330))
        XCTAssertNil(IceCandidate.parseTrickled(candidates[1])) // TCP ignored
        XCTAssertEqual(try IceCandidate(parsing: candidates[1]).transport, "tcp")
    }

    func testPrefixesAndUppercaseTransport() throws {
        let withA = try IceCandidate(parsing: "a=candidate:0 1 UDP 2122187007 ::1 43116 typ host\r")
        XCTAssertEqual(withA.transport, "udp")
        XCTAssertEqual(withA.transportAddress, TransportAddress(ip: "::1", port: 43116))
        let bare = try IceCandidate(parsing: "1 1 udp 5 1.2.3.4 9 typ srflx raddr 0.0.0.0 rport 0")
        XCTAssertEqual(bare.type, "srflx")
        XCTAssertNil(try IceCandidate(parsing: "1 1 udp 5 abc.local 9 typ host").transportAddress)
    }

    func testRoundTripAndRejections() throws {
        let candidate = IceCandidate(foundation: "1", component: 1, transport: "udp", priority: 2_130_706_431,
                                     address: "10.1.2.3", port: 4000, type: "host")
        XCTAssertEqual(candidate.attributeValue, "candidate:1 1 udp 2130706431 10.1.2.3 4000 typ host")
        XCTAssertEqual(try IceCandidate(parsing: candidate.attributeValue), candidate)
        XCTAssertNil(IceCandidate.parseTrickled(""))
        XCTAssertThrowsError(try IceCandidate(parsing: "candidate:1 1 udp x 1.2.3.4 9 typ host"))
        XCTAssertThrowsError(try IceCandidate(parsing: "candidate:1 1 udp 1 1.2.3.4 99999 typ host"))
        XCTAssertThrowsError(try IceCandidate(parsing: "candidate:1 1 udp 1 1.2.3.4 9 type host"))
        XCTAssertThrowsError(try IceCandidate(parsing: "candidate:1 0 udp 1 1.2.3.4 9 typ host"))
    }
}
