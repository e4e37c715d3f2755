import XCTest
@testable import MediaCore

/// The client (controlling) agent against the lite agent, in memory.
final class IceClientAgentTests: XCTestCase {
    let serverAddress = TransportAddress(ip: "10.0.0.1", port: 40000)!
    let clientAddress = TransportAddress(ip: "10.0.0.2", port: 50000)!

    func makePair() -> (IceClientAgent, IceLiteAgent) {
        let client = IceClientAgent(localUfrag: "cliU", localPassword: "client-password-1234567",
                                    remoteUfrag: "srvU", remotePassword: "server-password-123456", tieBreaker: 42)
        var server = IceLiteAgent(localUfrag: "srvU", localPassword: "server-password-123456")
        server.remoteUfrag = "cliU"
        return (client, server)
    }

    func testCheckCarriesIceAttributes() throws {
        var (client, _) = makePair()
        let check = try StunMessage(parsing: client.makeCheck(to: serverAddress, now: 0, nominate: true))
        XCTAssertEqual(check.attribute(StunUsername.self)?.value, "srvU:cliU")
        XCTAssertEqual(check.attribute(StunIceControlling.self)?.tieBreaker, 42)
        XCTAssertNotNil(check.attribute(StunPriority.self))
        XCTAssertTrue(check.contains(StunAttributeType.useCandidate))
        let plain = try StunMessage(parsing: client.makeCheck(to: serverAddress, now: 0, nominate: false))
        XCTAssertFalse(plain.contains(StunAttributeType.useCandidate))
    }

    func testConnectsAgainstLiteAgent() throws {
        var (client, server) = makePair()
        let check = client.makeCheck(to: serverAddress, now: 0, nominate: true)
        let result = server.handleStun(check, from: clientAddress, now: 0)
        XCTAssertEqual(result.selectedAddressChanged, clientAddress)
        XCTAssertTrue(server.isNominated)
        let response = try XCTUnwrap(result.response)
        XCTAssertFalse(client.isConnected)
        XCTAssertTrue(client.handleResponse(response, from: serverAddress, now: 0.01))
        XCTAssertTrue(client.isConnected)
        // The same response again is not accepted: the transaction is done.
        XCTAssertFalse(client.handleResponse(response, from: serverAddress, now: 0.02))
        XCTAssertEqual(client.nextCheckDeadline, 5.01)
    }

    func testRejectsResponsesWithWrongKeyOrUnknownTransaction() throws {
        var (client, _) = makePair()
        let check = try StunMessage(parsing: client.makeCheck(to: serverAddress, now: 0, nominate: true))
        var forged = StunMessage(type: .bindingSuccess, transactionId: check.transactionId)
        forged.append(StunXorMappedAddress(clientAddress))
        XCTAssertFalse(client.handleResponse(forged.serialize(integrityKey: Array("not-the-password-xxxxxx".utf8),
                                                              addFingerprint: true), from: serverAddress, now: 0))
        var unknown = StunMessage(type: .bindingSuccess, transactionId: StunMessage.randomTransactionId())
        unknown.append(StunXorMappedAddress(clientAddress))
        XCTAssertFalse(client.handleResponse(unknown.serialize(integrityKey: Array("server-password-123456".utf8),
                                                               addFingerprint: true), from: serverAddress, now: 0))
        XCTAssertFalse(client.handleResponse([1, 2, 3], from: serverAddress, now: 0))
        XCTAssertFalse(client.isConnected)
    }

    func testRetransmitsEvery50msUntilConnectedThenConsentEvery5s() throws {
        var (client, server) = makePair()
        XCTAssertTrue(client.handleTimeout(now: 0).isEmpty) // nothing targeted yet
        _ = client.makeCheck(to: serverAddress, now: 0, nominate: true) // "lost"
        XCTAssertEqual(client.nextCheckDeadline, 0.05)
        XCTAssertTrue(client.handleTimeout(now: 0.04).isEmpty)
        let retries = client.handleTimeout(now: 0.05)
        XCTAssertEqual(retries.count, 1)
        XCTAssertEqual(retries.first?.1, serverAddress)
        XCTAssertEqual(client.nextCheckDeadline ?? 0, 0.10, accuracy: 1e-9)
        let retry = try XCTUnwrap(retries.first?.0)
        XCTAssertTrue(try StunMessage(parsing: retry).contains(StunAttributeType.useCandidate))
        let response = try XCTUnwrap(server.handleStun(retry, from: clientAddress, now: 0.05).response)
        XCTAssertTrue(client.handleResponse(response, from: serverAddress, now: 0.06))
        XCTAssertTrue(client.handleTimeout(now: 1).isEmpty)
        let consent = client.handleTimeout(now: 5.06)
        XCTAssertEqual(consent.count, 1)
        XCTAssertFalse(try StunMessage(parsing: consent[0].0).contains(StunAttributeType.useCandidate))
        XCTAssertNotNil(server.handleStun(consent[0].0, from: clientAddress, now: 5.06).response)
        XCTAssertFalse(client.isExpired(now: 30))
        XCTAssertTrue(client.isExpired(now: 30.06))
    }

    /// A whole session faster than real time: the client keeps consent alive for a minute.
    func testSimulatedMinuteKeepsConsent() {
        var (client, server) = makePair()
        var now = 0.0
        var outbox = [(client.makeCheck(to: serverAddress, now: now, nominate: true), serverAddress)]
        while now < 60 {
            for (bytes, _) in outbox {
                if let response = server.handleStun(bytes, from: clientAddress, now: now).response {
                    _ = client.handleResponse(response, from: serverAddress, now: now)
                }
            }
            now += 0.01
            outbox = client.handleTimeout(now: now)
        }
        XCTAssertTrue(client.isConnected)
        XCTAssertFalse(server.isExpired(now: now))
        // One nomination, then a consent check about every 5 s.
        XCTAssertTrue((11...12).contains(server.counters.answered - 1), "\(server.counters.answered)")
    }
}
