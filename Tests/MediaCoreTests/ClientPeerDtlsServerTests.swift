import XCTest
@testable import MediaCore

/// ClientPeer as the DTLS server when the answer says `a=setup:active`, against a
/// plain DtlsEndpoint client standing in for Janus; then SRTP media both ways.
final class ClientPeerDtlsServerTests: XCTestCase {
    let local = TransportAddress(ip: "10.77.0.2", port: 41000)!
    let remote = TransportAddress(ip: "10.77.0.1", port: 20000)!

    func testTakesTheServerRoleAndExchangesMedia() throws {
        let peerCertificate = try DtlsCertificate(commonName: "peer")
        let remoteCertificate = try DtlsCertificate(commonName: "janus")
        let peer = ClientPeer(certificate: peerCertificate, localCandidate: local)
        try peer.apply(answerSdp: fullIceActiveAnswer(ufrag: "janU", password: "janus-password-12345678",
                                                      fingerprint: remoteCertificate.fingerprint, candidate: remote))
        XCTAssertEqual(peer.dtlsRole, .server)
        let client = try DtlsEndpoint(role: .client, certificate: remoteCertificate,
                                      remoteFingerprint: ("sha-256", peerCertificate.fingerprint))
        var toPeer = client.start(now: 0)
        var clientKeys: SrtpKeyMaterial?
        for _ in 0..<10 where !toPeer.isEmpty {
            let replies = toPeer.flatMap { peer.receive($0, from: remote, now: 0) }
            XCTAssertTrue(replies.allSatisfy { $0.to == remote })
            toPeer = []
            for reply in replies {
                let output = client.handle(reply.bytes, now: 0)
                toPeer += output.datagrams
                if case .connected(let keys)? = output.event { clientKeys = keys }
            }
        }
        XCTAssertTrue(peer.isConnected)
        let keys = try XCTUnwrap(clientKeys)
        let remoteSrtp = try SrtpPair(keys: keys)

        var received: [RtpPacket] = []
        peer.onRtp = { packet, _ in received.append(packet) }
        let packet = RtpPacket(payloadType: 111, sequenceNumber: 9, timestamp: 960, ssrc: 1234, payload: [1, 2, 3])
        _ = peer.receive(try remoteSrtp.outbound.protectRtp(packet.serialize()), from: remote, now: 0.02)
        XCTAssertEqual(received.map(\.payload), [[1, 2, 3]])

        let sent = try XCTUnwrap(peer.send(opus: [4, 5]))
        XCTAssertEqual(sent.to, remote)
        XCTAssertEqual(try RtpPacket(parsing: try remoteSrtp.inbound.unprotectRtp(sent.bytes)).payload, [4, 5])
    }
}
