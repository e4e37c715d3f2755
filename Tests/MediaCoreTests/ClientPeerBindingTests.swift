import XCTest
@testable import MediaCore

/// ClientPeer answering a full-ICE answerer's connectivity checks.
final class ClientPeerBindingTests: XCTestCase {
    let local = TransportAddress(ip: "10.77.0.2", port: 41000)!
    let remote = TransportAddress(ip: "10.77.0.1", port: 20000)!

    /// A peer that applied a Janus-like answer, and the remote side's agent sending checks to it.
    func makePeer() throws -> (ClientPeer, IceClientAgent) {
        let peer = ClientPeer(certificate: DtlsCertificate.shared, localCandidate: local)
        let offer = try AudioOffer(parsing: peer.offerSdp)
        try peer.apply(answerSdp: fullIceActiveAnswer(ufrag: "janU", password: "janus-password-12345678",
                                                      fingerprint: DtlsCertificate.shared.fingerprint, candidate: remote))
        let remoteAgent = IceClientAgent(localUfrag: "janU", localPassword: "janus-password-12345678",
                                         remoteUfrag: offer.iceUfrag, remotePassword: offer.icePassword, tieBreaker: 7)
        return (peer, remoteAgent)
    }

    func testOfferCarriesTheHostCandidateAndNoTrickle() throws {
        let offer = try AudioOffer(parsing: ClientPeer(certificate: DtlsCertificate.shared, localCandidate: local).offerSdp)
        XCTAssertEqual(offer.candidates.map(\.transportAddress), [local])
        XCTAssertTrue(offer.endOfCandidates)
        XCTAssertFalse(offer.trickle)
        let parleyOffer = try AudioOffer(parsing: ClientPeer(certificate: DtlsCertificate.shared).offerSdp)
        XCTAssertTrue(parleyOffer.candidates.isEmpty)
        XCTAssertTrue(parleyOffer.trickle)
    }

    func testAnswersAValidCheckWithItsSourceAddress() throws {
        var (peer, remoteAgent) = try makePeer()
        let check = remoteAgent.makeCheck(to: local, now: 0, nominate: false)
        let replies = peer.receive(check, from: remote, now: 0)
        let reply = try XCTUnwrap(replies.first)
        XCTAssertEqual(replies.count, 1)
        XCTAssertEqual(reply.to, remote)
        let response = try StunMessage(parsing: reply.bytes)
        XCTAssertEqual(response.attribute(StunXorMappedAddress.self)?.address, remote)
        XCTAssertTrue(StunFingerprint.verify(reply.bytes))
        // Integrity keyed with our pwd, transaction echoed: the remote agent accepts it.
        XCTAssertTrue(remoteAgent.handleResponse(reply.bytes, from: local, now: 0.01))
    }

    func testIgnoresACheckWithTheWrongPassword() throws {
        let (peer, _) = try makePeer()
        let offer = try AudioOffer(parsing: peer.offerSdp)
        var impostor = IceClientAgent(localUfrag: "janU", localPassword: "x", remoteUfrag: offer.iceUfrag,
                                      remotePassword: "not-the-offer-password-00", tieBreaker: 1)
        XCTAssertTrue(peer.receive(impostor.makeCheck(to: local, now: 0, nominate: true), from: remote, now: 0).isEmpty)
    }
}
