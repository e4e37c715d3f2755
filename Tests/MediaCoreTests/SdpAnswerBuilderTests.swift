import Foundation
import XCTest
@testable import MediaCore

final class SdpAnswerBuilderTests: XCTestCase {
    let ourFingerprint = SdpFingerprint(algorithm: "sha-256", digest: Array(0..<32)).hex

    func makeAnswer(for fixtureName: String) throws -> (String, AudioOffer) {
        let offer = try AudioOffer(parsing: try fixture(fixtureName))
        let builder = SdpAnswerBuilder(offer: offer, iceUfrag: "srvU", icePassword: "server-password-123456",
                                       fingerprintSha256: ourFingerprint,
                                       hostCandidates: [try XCTUnwrap(TransportAddress(ip: "192.0.2.5", port: 40000))],
                                       ssrc: 1234, cname: "parleycname", streamId: "room", trackId: "mix",
                                       sessionId: 99)
        return (builder.build(), offer)
    }

    func testChromiumAnswerLines() throws {
        let (answer, _) = try makeAnswer(for: "chromium-156-audio-offer.sdp")
        XCTAssertTrue(answer.hasSuffix("\r\n"))
        XCTAssertFalse(answer.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let lines = answer.components(separatedBy: "\r\n").dropLast()
        XCTAssertEqual(Array(lines.prefix(4)), ["v=0", "o=- 99 2 IN IP4 127.0.0.1", "s=-", "t=0 0"])
        for expected in ["a=ice-lite", "a=group:BUNDLE 0", "a=msid-semantic: WMS room",
                         "m=audio 40000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 192.0.2.5", "a=rtcp:40000 IN IP4 192.0.2.5",
                         "a=ice-ufrag:srvU", "a=ice-pwd:server-password-123456",
                         "a=fingerprint:sha-256 \(ourFingerprint)", "a=setup:passive", "a=mid:0",
                         "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "a=sendrecv", "a=rtcp-mux",
                         "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1",
                         "a=ssrc:1234 cname:parleycname", "a=ssrc:1234 msid:room mix", "a=msid:room mix",
                         "a=candidate:1 1 udp 2130706431 192.0.2.5 40000 typ host", "a=end-of-candidates"] {
            XCTAssertTrue(lines.contains(expected), "missing \(expected)")
        }
        XCTAssertEqual(lines.last, "a=end-of-candidates")
        // Session-level lines stay before the m= line.
        XCTAssertLessThan(try XCTUnwrap(lines.firstIndex(of: "a=ice-lite")),
                          try XCTUnwrap(lines.firstIndex { $0.hasPrefix("m=") }))
    }

    func testAnswerFollowsEachOffer() throws {
        let (firefox, _) = try makeAnswer(for: "firefox-esr-153-audio-offer.sdp")
        XCTAssertTrue(firefox.contains("m=audio 40000 UDP/TLS/RTP/SAVPF 109\r\n"))
        XCTAssertTrue(firefox.contains("a=fmtp:109 minptime=10;useinbandfec=1;usedtx=1\r\n"), "we ask every client for DTX")
        let (aiortc, _) = try makeAnswer(for: "aiortc-1.16-audio-offer.sdp")
        XCTAssertTrue(aiortc.contains("a=rtpmap:96 opus/48000/2\r\n"))
        XCTAssertTrue(aiortc.contains("a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"))
        let (dtx, _) = try makeAnswer(for: "chromium-156-audio-offer-red-dtx.sdp")
        XCTAssertTrue(dtx.contains("a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n"))
    }

    func testNoExtmapWhenNotOffered() throws {
        var offer = try AudioOffer(parsing: try fixture("chromium-156-audio-offer.sdp"))
        offer.audioLevelExtensionId = nil
        let answer = SdpAnswerBuilder(offer: offer, iceUfrag: "u", icePassword: "p", fingerprintSha256: ourFingerprint,
                                      hostCandidates: [TransportAddress(ip: "::1", port: 5)!], ssrc: 1, cname: "c",
                                      sessionId: 1).build()
        XCTAssertFalse(answer.contains("extmap"))
        XCTAssertTrue(answer.contains("c=IN IP6 ::1\r\n"))
    }

    /// The answer is itself valid SDP for our parser, and an offer-like view of it round-trips.
    func testAnswerParsesBack() throws {
        let (answer, _) = try makeAnswer(for: "chromium-156-audio-offer.sdp")
        let parsed = try AudioOffer(parsing: answer)
        XCTAssertEqual(parsed.opusPayloadType, 111)
        XCTAssertEqual(parsed.iceUfrag, "srvU")
        XCTAssertEqual(parsed.fingerprints.first?.bytes, Array(0..<32))
        XCTAssertEqual(parsed.setup, "passive")
        XCTAssertEqual(parsed.remoteSsrc, 1234)
        XCTAssertEqual(parsed.candidates.first?.transportAddress, TransportAddress(ip: "192.0.2.5", port: 40000))
    }
}
