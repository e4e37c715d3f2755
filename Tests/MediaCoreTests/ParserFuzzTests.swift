import XCTest
@testable import MediaCore

/// Random and truncated input must never trap; every parser returns an error or a value.
final class ParserFuzzTests: XCTestCase {
    private var generator = SeededGenerator(seed: 0x5EED)
    private let iterations = 3000

    private func randomBytes(maxLength: Int = 200) -> [UInt8] {
        (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Valid seeds, truncated at every length and with random bytes flipped.
    private func mutations(of seed: [UInt8]) -> [[UInt8]] {
        var out = (0...seed.count).map { Array(seed.prefix($0)) }
        for _ in 0..<iterations {
            var copy = seed
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !copy.isEmpty {
                copy[Int.random(in: 0..<copy.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            out.append(copy)
        }
        return out
    }

    func testStun() {
        var server = IceLiteAgent(localUfrag: "srvU", localPassword: "server-password-123456")
        var client = IceClientAgent(localUfrag: "a", localPassword: "b", remoteUfrag: "srvU",
                                    remotePassword: "server-password-123456", tieBreaker: 1)
        let from = TransportAddress(ip: "10.0.0.1", port: 1)!
        let seed = client.makeCheck(to: from, now: 0, nominate: true)
        var random = (0..<iterations).map { _ in randomBytes() }
        // Random bodies behind a valid header reach the attribute walker.
        random += (0..<iterations).map { _ in
            var body = randomBytes(maxLength: 64)
            body += [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
            var message = StunMessage(type: .bindingRequest, transactionId: Array(repeating: 1, count: 12)).serialize()
            message.setUInt16(UInt16(body.count), at: 2)
            return message + body
        }
        for bytes in mutations(of: seed) + mutations(of: StunRfc5769Tests.ipv6Response) + random {
            if let message = try? StunMessage(parsing: bytes) {
                _ = message.attribute(StunXorMappedAddress.self)
                _ = message.attribute(StunErrorCode.self)
                _ = message.attribute(StunUsername.self)
                _ = message.serialize()
            }
            _ = StunMessageIntegrity.verify(bytes, key: [1])
            _ = StunFingerprint.verify(bytes)
            _ = server.handleStun(bytes, from: from, now: 0)
            _ = client.handleResponse(bytes, from: from, now: 0)
            _ = PacketDemux.classify(bytes)
        }
        XCTAssertGreaterThan(server.counters.droppedMalformed, 0)
    }

    func testRtpAndRtcp() {
        let ext = RtpHeaderExtension(elements: [AudioLevel(voiceActivity: true, level: 9).element(id: 1)])
        let rtp = RtpPacket(payloadType: 111, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [4],
                            headerExtension: ext, payload: [1, 2, 3], paddingLength: 3).serialize()
        let block = ReportBlock(ssrc: 1, fractionLost: 1, cumulativeLost: 1, extendedHighestSequence: 1,
                                jitter: 1, lastSenderReport: 1, delaySinceLastSenderReport: 1)
        let rtcp = RtcpCompound.serialize([.senderReport(SenderReport(ssrc: 1, ntpTimestamp: 1, rtpTimestamp: 1, packetCount: 1,
                                                                     octetCount: 1, reportBlocks: [block])),
                                           .sourceDescription(SourceDescription(ssrc: 1, cname: "abc")),
                                           .goodbye(Goodbye(ssrcs: [1], reason: "x"))])
        let random = (0..<iterations).map { _ in randomBytes() }
        for bytes in mutations(of: rtp) + mutations(of: rtcp) + random {
            if let packet = try? RtpPacket(parsing: bytes) {
                _ = packet.headerExtension?.elements
                _ = packet.audioLevel(extensionId: 1)
                _ = packet.serialize()
            }
            if let packets = try? RtcpCompound.parse(bytes) { _ = RtcpCompound.serialize(packets) }
        }
        var stats = ReceiveStatistics(ssrc: 1)
        for _ in 0..<iterations {
            stats.record(sequenceNumber: .random(in: 0...65535, using: &generator),
                         rtpTimestamp: .random(in: 0...UInt32.max, using: &generator),
                         arrival: .random(in: 0...1e6, using: &generator))
        }
        _ = stats.makeReportBlock(now: .infinity)
        stats.recordSenderReport(compactNtp: 1, arrival: .nan)
        stats.record(sequenceNumber: 1, rtpTimestamp: 1, arrival: .infinity)
        _ = stats.makeReportBlock(now: .infinity)
    }

    func testSdpAndCandidates() throws {
        let seed = Array(try fixture("firefox-esr-153-audio-offer.sdp").utf8)
        var inputs = (0..<600).map { _ in String(decoding: randomBytes(maxLength: 300), as: UTF8.self) }
        for _ in 0..<iterations {
            var copy = seed
            let cut = Int.random(in: 0...copy.count, using: &generator)
            copy = Array(copy.prefix(cut))
            if !copy.isEmpty {
                copy[Int.random(in: 0..<copy.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            inputs.append(String(decoding: copy, as: UTF8.self))
        }
        for text in inputs {
            _ = try? SessionDescription(parsing: text)
            if let offer = try? AudioOffer(parsing: text) {
                _ = SdpAnswerBuilder(offer: offer, iceUfrag: "u", icePassword: "p", fingerprintSha256: "AA",
                                     hostCandidates: [], ssrc: 1, cname: "c", sessionId: 1).build()
            }
            _ = IceCandidate.parseTrickled(text)
            _ = SdpFingerprint(attributeValue: text)?.bytes
        }
    }
}
