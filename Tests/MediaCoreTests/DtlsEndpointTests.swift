import XCTest
@testable import MediaCore

final class DtlsEndpointTests: XCTestCase {
    private var clientCertificate: DtlsCertificate!
    private var serverCertificate: DtlsCertificate!

    override func setUpWithError() throws {
        clientCertificate = try DtlsCertificate(commonName: "client")
        serverCertificate = try DtlsCertificate(commonName: "server")
    }

    private func makePair(serverExpects: String? = nil) throws -> (client: DtlsEndpoint, server: DtlsEndpoint) {
        let client = try DtlsEndpoint(role: .client, certificate: clientCertificate,
                                      remoteFingerprint: ("sha-256", serverCertificate.fingerprint))
        let server = try DtlsEndpoint(role: .server, certificate: serverCertificate,
                                      remoteFingerprint: ("sha-256", serverExpects ?? clientCertificate.fingerprint))
        return (client, server)
    }

    /// Delivers datagrams back and forth until both sides go quiet.
    private func shuttle(_ first: [[UInt8]], client: DtlsEndpoint, server: DtlsEndpoint,
                         now: Double) -> (client: [DtlsEvent], server: [DtlsEvent]) {
        var toServer = first, toClient: [[UInt8]] = []
        var clientEvents: [DtlsEvent] = [], serverEvents: [DtlsEvent] = []
        var rounds = 0
        while (!toServer.isEmpty || !toClient.isEmpty) && rounds < 20 {
            rounds += 1
            for datagram in toServer {
                XCTAssertLessThanOrEqual(datagram.count, DtlsEndpoint.mtu)
                let out = server.handle(datagram, now: now)
                toClient += out.datagrams
                if let event = out.event { serverEvents.append(event) }
            }
            toServer = []
            for datagram in toClient {
                let out = client.handle(datagram, now: now)
                toServer += out.datagrams
                if let event = out.event { clientEvents.append(event) }
            }
            toClient = []
        }
        return (clientEvents, serverEvents)
    }

    private func keys(_ events: [DtlsEvent]) -> SrtpKeyMaterial? {
        guard events.count == 1, case .connected(let keys)? = events.first else { return nil }
        return keys
    }

    func testHandshakeGivesBothSidesMirroredKeys() throws {
        let (client, server) = try makePair()
        let hello = client.start(now: 0)
        XCTAssertFalse(hello.isEmpty)
        XCTAssertNotNil(client.nextTimeout)
        let events = shuttle(hello, client: client, server: server, now: 0)
        let clientKeys = try XCTUnwrap(keys(events.client), "\(events.client)")
        let serverKeys = try XCTUnwrap(keys(events.server), "\(events.server)")
        XCTAssertEqual(clientKeys.profile, .aeadAes128Gcm, "GCM is preferred when both offer it")
        XCTAssertEqual(clientKeys.localKey, serverKeys.remoteKey)
        XCTAssertEqual(clientKeys.localSalt, serverKeys.remoteSalt)
        XCTAssertEqual(clientKeys.remoteKey, serverKeys.localKey)
        XCTAssertEqual(clientKeys.remoteSalt, serverKeys.localSalt)
        XCTAssertNotEqual(clientKeys.localKey, clientKeys.remoteKey)
        XCTAssertEqual(clientKeys.localKey.count, 16)
        XCTAssertEqual(clientKeys.localSalt.count, 12)
        XCTAssertNil(client.nextTimeout)
        XCTAssertNil(server.nextTimeout)
    }

    func testWrongFingerprintFailsTheHandshake() throws {
        let stranger = try DtlsCertificate(commonName: "stranger")
        let (client, server) = try makePair(serverExpects: stranger.fingerprint)
        let events = shuttle(client.start(now: 0), client: client, server: server, now: 0)
        XCTAssertEqual(events.server, [.failed(.fingerprintMismatch)])
        // Refused inside the handshake: the client gets an alert, not keys.
        XCTAssertEqual(events.client.count, 1)
        if case .connected? = events.client.first { XCTFail("client connected to a rejecting server") }
    }

    func testClientRejectsWrongServerFingerprint() throws {
        let stranger = try DtlsCertificate(commonName: "stranger")
        let client = try DtlsEndpoint(role: .client, certificate: clientCertificate,
                                      remoteFingerprint: ("sha-256", stranger.fingerprint))
        let server = try DtlsEndpoint(role: .server, certificate: serverCertificate,
                                      remoteFingerprint: ("sha-256", clientCertificate.fingerprint))
        let events = shuttle(client.start(now: 0), client: client, server: server, now: 0)
        XCTAssertEqual(events.client, [.failed(.fingerprintMismatch)])
        XCTAssertNil(keys(events.server))
    }

    func testMissingFingerprintNeverConnects() throws {
        let client = try DtlsEndpoint(role: .client, certificate: clientCertificate, remoteFingerprint: nil)
        let server = try DtlsEndpoint(role: .server, certificate: serverCertificate,
                                      remoteFingerprint: ("sha-256", clientCertificate.fingerprint))
        let events = shuttle(client.start(now: 0), client: client, server: server, now: 0)
        XCTAssertEqual(events.client, [.failed(.fingerprintMismatch)])
    }

    func testSha512FingerprintIsAccepted() throws {
        let expected = try XCTUnwrap(DtlsCertificate.fingerprint(of: clientCertificate.der, algorithm: "sha-512"))
        let client = try DtlsEndpoint(role: .client, certificate: clientCertificate,
                                      remoteFingerprint: ("sha-256", serverCertificate.fingerprint))
        let server = try DtlsEndpoint(role: .server, certificate: serverCertificate,
                                      remoteFingerprint: ("sha-512", expected.lowercased()))
        let events = shuttle(client.start(now: 0), client: client, server: server, now: 0)
        XCTAssertNotNil(keys(events.server))
    }

    func testUnsupportedFingerprintAlgorithmIsRejected() {
        XCTAssertThrowsError(try DtlsEndpoint(role: .server, certificate: serverCertificate,
                                              remoteFingerprint: ("md5", "00")))
        XCTAssertThrowsError(try DtlsEndpoint(role: .server, certificate: serverCertificate,
                                              remoteFingerprint: ("sha-256", "AB:CD")))
    }

    func testLostClientHelloIsRetransmittedAfterTimeout() throws {
        let (client, server) = try makePair()
        _ = client.start(now: 100)  // dropped on the way
        XCTAssertEqual(client.handleTimeout(now: 100.5), [], "not due yet")
        let deadline = try XCTUnwrap(client.nextTimeout)
        let retransmitted = client.handleTimeout(now: deadline)
        XCTAssertFalse(retransmitted.isEmpty)
        let backedOff = try XCTUnwrap(client.nextTimeout)
        XCTAssertGreaterThan(backedOff - deadline, deadline - 100, "the interval doubles")
        let events = shuttle(retransmitted, client: client, server: server, now: deadline)
        XCTAssertNotNil(keys(events.client))
        XCTAssertNotNil(keys(events.server))
    }

    func testLostServerFlightIsRecoveredByServerTimeout() throws {
        let (client, server) = try makePair()
        let serverFlight = server.handle(client.start(now: 0)[0], now: 0).datagrams
        XCTAssertFalse(serverFlight.isEmpty)  // dropped on the way
        let deadline = try XCTUnwrap(server.nextTimeout)
        let resent = server.handleTimeout(now: deadline + 0.01)
        XCTAssertFalse(resent.isEmpty)
        var toServer: [[UInt8]] = []
        for datagram in resent { toServer += client.handle(datagram, now: deadline).datagrams }
        let events = shuttle(toServer, client: client, server: server, now: deadline)
        XCTAssertNotNil(keys(events.client))
        XCTAssertNotNil(keys(events.server))
    }

    func testCloseNotifyReachesThePeer() throws {
        let (client, server) = try makePair()
        _ = shuttle(client.start(now: 0), client: client, server: server, now: 0)
        let goodbye = client.close()
        XCTAssertFalse(goodbye.isEmpty)
        XCTAssertEqual(goodbye.compactMap { server.handle($0, now: 1).event }, [.closed])
        XCTAssertEqual(client.close(), [], "closing twice sends nothing")
    }

    func testGarbageDoesNotConnectOrCrash() throws {
        let server = try DtlsEndpoint(role: .server, certificate: serverCertificate,
                                      remoteFingerprint: ("sha-256", clientCertificate.fingerprint))
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 13, 14, 100, 1500] {
            var datagram = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !datagram.isEmpty { datagram[0] = 22 }
            if case .connected = server.handle(datagram, now: 0).event { XCTFail("connected on garbage") }
        }
    }
}
