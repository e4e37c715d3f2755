import XCTest
@testable import MediaCore

/// A peer whose checks arrive from ever new ports (a rebinding NAT, or the peer
/// replaying its own valid checks) must not grow the session's accepted sources.
final class ValidatedSourcesTests: XCTestCase {
    func testAcceptedSourcesAreBoundedAndKeepTheSelectedOne() throws {
        let peer = ClientPeer(certificate: try DtlsCertificate())
        let offer = try AudioOffer(parsing: peer.offerSdp)
        let session = try ServerSession(participantId: "p", offer: offer,
                                        certificate: DtlsCertificate.shared,
                                        candidates: [TransportAddress(ip: "10.0.0.1", port: 40000)!], now: 0)
        let answer = try AudioOffer(parsing: session.answerSdp)
        var agent = IceClientAgent(localUfrag: offer.iceUfrag, localPassword: offer.icePassword,
                                   remoteUfrag: answer.iceUfrag, remotePassword: answer.icePassword, tieBreaker: 7)
        let server = TransportAddress(ip: "10.0.0.1", port: 40000)!
        let nominated = TransportAddress(ip: "10.0.0.2", port: 5000)!
        XCTAssertEqual(session.receive(agent.makeCheck(to: server, now: 0, nominate: true), from: nominated, now: 0).count, 1)
        for port in 5001...5040 {
            let source = TransportAddress(ip: "10.0.0.2", port: UInt16(port))!
            XCTAssertEqual(session.receive(agent.makeCheck(to: server, now: 0.1, nominate: false), from: source, now: 0.1).count, 1,
                           "a valid check is answered from any port")
        }
        XCTAssertEqual(session.validatedSources.count, ServerSession.maxValidatedSources)
        XCTAssertTrue(session.validatedSources.contains(nominated), "the selected address is never evicted")
        XCTAssertEqual(session.validatedSources.last, TransportAddress(ip: "10.0.0.2", port: 5040)!)
        XCTAssertEqual(session.remoteAddress, nominated)

        // Media from an evicted source is dropped like any unvalidated source.
        let before = session.counters.droppedUnvalidatedSource
        let rtp: [UInt8] = [0x80, 111, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1] + Array(repeating: 0, count: 20)
        _ = session.receive(rtp, from: TransportAddress(ip: "10.0.0.2", port: 5001)!, now: 0.2)
        XCTAssertEqual(session.counters.droppedUnvalidatedSource, before + 1)
    }
}
