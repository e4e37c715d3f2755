import Foundation
import XCTest
@testable import MediaCore

final class AudioOfferTests: XCTestCase {
    func testChromium() throws {
        let offer = try AudioOffer(parsing: try fixture("chromium-156-audio-offer.sdp"))
        XCTAssertEqual(offer.iceUfrag, "uG87")
        XCTAssertEqual(offer.icePassword, "gkgAB24DYDOBCoazalT7f6TG")
        XCTAssertEqual(offer.fingerprints.map(\.algorithm), ["sha-256"])
        XCTAssertEqual(offer.fingerprints.first?.bytes?.count, 32)
        XCTAssertTrue(offer.fingerprints.first?.hex.hasPrefix("8F:29:3A") ?? false)
        XCTAssertEqual(offer.setup, "actpass")
        XCTAssertEqual(offer.mid, "0")
        XCTAssertEqual(offer.opusPayloadType, 111)
        XCTAssertEqual(offer.opus.fmtp, "minptime=10;useinbandfec=1")
        XCTAssertTrue(offer.opus.useInbandFec)
        XCTAssertFalse(offer.opus.useDtx)
        XCTAssertFalse(offer.opus.stereo)
        XCTAssertEqual(offer.audioLevelExtensionId, 1)
        XCTAssertEqual(offer.remoteSsrc, 1_273_561_855)
        XCTAssertEqual(offer.candidates.map(\.transportAddress), [TransportAddress(ip: "127.0.0.1", port: 49330)])
        XCTAssertTrue(offer.rtcpMux)
        XCTAssertTrue(offer.trickle)
        XCTAssertFalse(offer.endOfCandidates)
    }

    func testChromiumTrickleHasNoCandidates() throws {
        let offer = try AudioOffer(parsing: try fixture("chromium-156-audio-offer-trickle.sdp"))
        XCTAssertEqual(offer.iceUfrag, "uG87")
        XCTAssertTrue(offer.candidates.isEmpty)
        XCTAssertTrue(offer.trickle)
    }

    func testChromiumRedFirstWithDtx() throws {
        let offer = try AudioOffer(parsing: try fixture("chromium-156-audio-offer-red-dtx.sdp"))
        XCTAssertEqual(offer.opusPayloadType, 111) // not RED's 63, although RED comes first
        XCTAssertEqual(offer.opus.fmtp, "minptime=10;usedtx=1;useinbandfec=1")
        XCTAssertTrue(offer.opus.useDtx)
        XCTAssertTrue(offer.opus.useInbandFec)
    }

    func testFirefoxSessionLevelFingerprint() throws {
        let offer = try AudioOffer(parsing: try fixture("firefox-esr-153-audio-offer.sdp"))
        XCTAssertEqual(offer.opusPayloadType, 109)
        XCTAssertTrue(offer.opus.stereo)
        XCTAssertTrue(offer.opus.useInbandFec)
        XCTAssertEqual(offer.fingerprints.map(\.algorithm), ["sha-256"])
        XCTAssertTrue(offer.fingerprints.first?.hex.hasPrefix("EE:D8:5C") ?? false)
        XCTAssertEqual(offer.iceUfrag, "05a24201")
        XCTAssertEqual(offer.icePassword, "5e559920be67a9845f21bb0fd68cc16a")
        XCTAssertEqual(offer.remoteSsrc, 2_751_831_207)
        XCTAssertEqual(offer.audioLevelExtensionId, 1)
        // UDP, component 1 only: IPv4 and IPv6.
        XCTAssertEqual(offer.candidates.map(\.port), [43116, 51538])
        XCTAssertEqual(offer.candidates.last?.transportAddress, TransportAddress(ip: "::1", port: 51538))
        XCTAssertTrue(offer.endOfCandidates)
    }

    func testAiortcThreeFingerprintsNoFmtp() throws {
        let offer = try AudioOffer(parsing: try fixture("aiortc-1.16-audio-offer.sdp"))
        XCTAssertEqual(offer.opusPayloadType, 96)
        XCTAssertNil(offer.opus.fmtp)
        XCTAssertFalse(offer.opus.useInbandFec)
        XCTAssertEqual(offer.fingerprints.map(\.algorithm), ["sha-256", "sha-384", "sha-512"])
        XCTAssertEqual(offer.fingerprints.map { $0.bytes?.count }, [32, 48, 64])
        XCTAssertEqual(offer.audioLevelExtensionId, 2)
        XCTAssertEqual(offer.iceUfrag, "f8hc")
        XCTAssertFalse(offer.trickle)
        XCTAssertEqual(offer.candidates.count, 1)
    }

    func testExtmapWithDirectionAndCaseInsensitiveOpus() throws {
        let text = minimalOffer(extra: ["a=extmap:5/sendrecv urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                                        "a=rtpmap:100 OPUS/48000/2"], formats: "100")
        let offer = try AudioOffer(parsing: text)
        XCTAssertEqual(offer.audioLevelExtensionId, 5)
        XCTAssertEqual(offer.opusPayloadType, 100)
    }

    func testNoUsableAudio() {
        let pcmuOnly = minimalOffer(extra: ["a=rtpmap:0 PCMU/8000"], formats: "0")
        XCTAssertThrowsError(try AudioOffer(parsing: pcmuOnly)) { XCTAssertEqual(($0 as? MediaError)?.code, "no_usable_audio") }
        let videoOnly = minimalOffer(extra: ["a=rtpmap:96 opus/48000/2"], formats: "96").replacingOccurrences(of: "m=audio", with: "m=video")
        XCTAssertThrowsError(try AudioOffer(parsing: videoOnly)) { XCTAssertEqual($0 as? MediaError, .sdpNoAudio) }
        let rejected = minimalOffer(extra: ["a=rtpmap:96 opus/48000/2"], formats: "96").replacingOccurrences(of: "m=audio 9", with: "m=audio 0")
        XCTAssertThrowsError(try AudioOffer(parsing: rejected)) { XCTAssertEqual($0 as? MediaError, .sdpNoAudio) }
    }

    func testMissingCredentials() {
        let noPwd = minimalOffer(extra: ["a=rtpmap:96 opus/48000/2"], formats: "96").replacingOccurrences(of: "a=ice-pwd:", with: "a=x-pwd:")
        XCTAssertThrowsError(try AudioOffer(parsing: noPwd)) { XCTAssertEqual($0 as? MediaError, .sdpMissingField("ice-pwd")) }
        let noFingerprint = minimalOffer(extra: ["a=rtpmap:96 opus/48000/2"], formats: "96").replacingOccurrences(of: "a=fingerprint:", with: "a=x:")
        XCTAssertThrowsError(try AudioOffer(parsing: noFingerprint)) { XCTAssertEqual($0 as? MediaError, .sdpMissingField("fingerprint")) }
    }

    func testOpusParameters() {
        let parameters = OpusParameters(fmtp: " stereo=1 ; usedtx=0;useinbandfec=1;junk;x=")
        XCTAssertTrue(parameters.stereo)
        XCTAssertFalse(parameters.useDtx)
        XCTAssertTrue(parameters.useInbandFec)
    }

    private func minimalOffer(extra: [String], formats: String) -> String {
        (["v=0", "o=- 1 2 IN IP4 0.0.0.0", "s=-", "t=0 0", "m=audio 9 UDP/TLS/RTP/SAVPF \(formats)",
          "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuv",
          "a=fingerprint:sha-256 AB:CD", "a=setup:actpass", "a=mid:a1"] + extra).joined(separator: "\r\n") + "\r\n"
    }
}
