import Foundation
import XCTest
@testable import MediaCore

final class SessionDescriptionTests: XCTestCase {
    func testParsesSessionAndMediaLevelsInOrder() throws {
        let sdp = try SessionDescription(parsing: try fixture("firefox-esr-153-audio-offer.sdp"))
        XCTAssertTrue(sdp.origin.hasPrefix("mozilla...THIS_IS_SDPARTA-99.0"))
        XCTAssertEqual(sdp.sessionName, "-")
        XCTAssertEqual(sdp.attributes.first, SdpAttribute(name: "sendrecv"))
        XCTAssertEqual(sdp.attributes.first("group"), "BUNDLE 0")
        XCTAssertEqual(sdp.mediaSections.count, 1)
        let audio = sdp.mediaSections[0]
        XCTAssertEqual(audio.media, "audio")
        XCTAssertEqual(audio.port, 43116)
        XCTAssertEqual(audio.proto, "UDP/TLS/RTP/SAVPF")
        XCTAssertEqual(audio.formats, ["109", "9", "0", "8", "101"])
        XCTAssertEqual(audio.connection, "IN IP4 127.0.0.1")
        XCTAssertEqual(audio.attributes.all("candidate").count, 8)
        // Order preserved: candidates come first in Firefox's media section.
        XCTAssertEqual(audio.attributes.first?.name, "candidate")
    }

    func testLfOnlyAndCrlfGiveTheSameResult() throws {
        let crlf = try fixture("chromium-156-audio-offer.sdp")
        XCTAssertTrue(crlf.contains("\r\n"))
        let lf = crlf.replacingOccurrences(of: "\r\n", with: "\n")
        XCTAssertEqual(try SessionDescription(parsing: crlf), try SessionDescription(parsing: lf))
    }

    func testGarbageIsRejected() {
        XCTAssertThrowsError(try SessionDescription(parsing: ""))
        XCTAssertThrowsError(try SessionDescription(parsing: "hello world"))
        XCTAssertThrowsError(try SessionDescription(parsing: "v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\n"))
        XCTAssertThrowsError(try SessionDescription(parsing: "o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n"))
        XCTAssertThrowsError(try SessionDescription(parsing: "v=0\r\ns=-\r\n")) { error in
            XCTAssertEqual(error as? MediaError, .sdpMissingField("o"))
        }
        XCTAssertThrowsError(try SessionDescription(parsing: "v=0\r\no=x\r\nm=audio\r\n"))
        XCTAssertThrowsError(try SessionDescription(parsing: "v=0\r\no=x\r\nm=audio 70000 RTP/AVP 0\r\n"))
        XCTAssertThrowsError(try SessionDescription(parsing: "v=0\r\no=x\r\n=oops\r\n"))
        XCTAssertThrowsError(try SessionDescription(parsing: String(repeating: "a", count: 70_000)))
    }

    func testAttributeForms() throws {
        let sdp = try SessionDescription(parsing: "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=ice-lite\na=x:a:b\n")
        XCTAssertEqual(sdp.attributes, [SdpAttribute(name: "ice-lite"), SdpAttribute(name: "x", value: "a:b")])
        XCTAssertEqual(sdp.timing, "0 0")
        XCTAssertTrue(sdp.attributes.has("ice-lite"))
    }
}
