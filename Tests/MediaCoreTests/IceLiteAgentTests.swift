import XCTest
@testable import MediaCore

final class IceLiteAgentTests: XCTestCase {
    let browser = TransportAddress(ip: "192.0.2.10", port: 50000)!
    let relay = TransportAddress(ip: "2001:db8::7", port: 3478)!

    func makeServer() -> IceLiteAgent {
        var server = IceLiteAgent(localUfrag: "srvU", localPassword: "server-password-123456", now: 0)
        server.remoteUfrag = "cliU"
        server.remotePassword = "client-password-1234567"
        return server
    }

    func makeRequest(username: String = "srvU:cliU", key: String = "server-password-123456",
                     nominate: Bool = false, fingerprint: Bool = true) -> [UInt8] {
        var request = StunMessage(type: .bindingRequest, transactionId: StunMessage.randomTransactionId())
        request.append(StunUsername(username))
        request.append(StunPriority(1))
        request.append(StunIceControlling(tieBreaker: 7))
        if nominate { request.append(StunUseCandidate()) }
        return request.serialize(integrityKey: Array(key.utf8), addFingerprint: fingerprint)
    }

    func testValidCheckIsAnsweredWithMappedAddressIntegrityAndFingerprint() throws {
        var server = makeServer()
        let requestBytes = makeRequest()
        let result = server.handleStun(requestBytes, from: browser, now: 1)
        let responseBytes = try XCTUnwrap(result.response)
        let response = try StunMessage(parsing: responseBytes)
        XCTAssertEqual(response.type, .bindingSuccess)
        XCTAssertEqual(response.transactionId, try StunMessage(parsing: requestBytes).transactionId)
        XCTAssertEqual(response.attribute(StunXorMappedAddress.self)?.address, browser)
        XCTAssertEqual(response.attributes.last?.type, StunAttributeType.fingerprint)
        XCTAssertTrue(StunMessageIntegrity.verify(responseBytes, key: Array("server-password-123456".utf8)))
        XCTAssertTrue(StunFingerprint.verify(responseBytes))
        XCTAssertEqual(server.counters.answered, 1)
        XCTAssertEqual(server.lastValidCheck, 1)
        // First valid check selects an address even without nomination.
        XCTAssertEqual(result.selectedAddressChanged, browser)
        XCTAssertFalse(server.isNominated)
    }

    func testInvalidRequestsAreDroppedAndCounted() {
        var server = makeServer()
        XCTAssertNil(server.handleStun(makeRequest(key: "wrong-password-xxxxxxxxx"), from: browser, now: 1).response)
        XCTAssertNil(server.handleStun(makeRequest(username: "other:cliU"), from: browser, now: 1).response)
        XCTAssertNil(server.handleStun(makeRequest(username: "srvU:intruder"), from: browser, now: 1).response)
        XCTAssertNil(server.handleStun(makeRequest(username: "srvUcliU"), from: browser, now: 1).response)
        XCTAssertNil(server.handleStun(makeRequest(fingerprint: false), from: browser, now: 1).response)
        var corrupted = makeRequest()
        corrupted[corrupted.count - 1] ^= 0xFF
        XCTAssertNil(server.handleStun(corrupted, from: browser, now: 1).response)
        XCTAssertNil(server.handleStun([0, 1, 0, 0], from: browser, now: 1).response)
        XCTAssertEqual(server.counters.droppedIntegrity, 1)
        XCTAssertEqual(server.counters.droppedUsername, 3)
        XCTAssertEqual(server.counters.droppedFingerprint, 2)
        XCTAssertEqual(server.counters.droppedMalformed, 1)
        XCTAssertEqual(server.counters.answered, 0)
        XCTAssertNil(server.selectedAddress)
        XCTAssertNil(server.lastValidCheck)
    }

    func testUnknownRemoteUfragOnlyChecksOurHalf() {
        var server = IceLiteAgent(localUfrag: "srvU", localPassword: "server-password-123456")
        XCTAssertNotNil(server.handleStun(makeRequest(username: "srvU:anything"), from: browser, now: 0).response)
    }

    func testSelectionFollowsLatestNomination() {
        var server = makeServer()
        XCTAssertEqual(server.handleStun(makeRequest(), from: browser, now: 1).selectedAddressChanged, browser)
        // A non-nominating check from elsewhere is answered but does not move the selection.
        let other = server.handleStun(makeRequest(), from: relay, now: 2)
        XCTAssertNotNil(other.response)
        XCTAssertNil(other.selectedAddressChanged)
        XCTAssertEqual(server.handleStun(makeRequest(nominate: true), from: relay, now: 3).selectedAddressChanged, relay)
        XCTAssertTrue(server.isNominated)
        // Re-nominating the same address reports no change.
        XCTAssertNil(server.handleStun(makeRequest(nominate: true), from: relay, now: 4).selectedAddressChanged)
        XCTAssertEqual(server.handleStun(makeRequest(nominate: true), from: browser, now: 5).selectedAddressChanged, browser)
        XCTAssertEqual(server.selectedAddress, browser)
    }

    func testConsentExpiresAfterThirtySecondsWithoutValidChecks() {
        var server = makeServer()
        XCTAssertFalse(server.isExpired(now: 29))
        XCTAssertTrue(server.isExpired(now: 30))
        _ = server.handleStun(makeRequest(), from: browser, now: 25)
        XCTAssertFalse(server.isExpired(now: 54))
        // Invalid checks do not refresh consent.
        _ = server.handleStun(makeRequest(key: "bad-password-xxxxxxxxxxx"), from: browser, now: 50)
        XCTAssertTrue(server.isExpired(now: 55))
    }

    func testCredentialGeneration() {
        let ufrag = IceCredentials.randomUfrag()
        let password = IceCredentials.randomPassword()
        XCTAssertTrue(IceCredentials.isValid(ufrag, minimumLength: 4))
        XCTAssertTrue(IceCredentials.isValid(password, minimumLength: 22))
        XCTAssertEqual(IceCredentials.randomUfrag(length: 1).count, 4)
        XCTAssertEqual(IceCredentials.randomPassword(length: 5).count, 22)
        XCTAssertNotEqual(IceCredentials.randomPassword(), IceCredentials.randomPassword())
        XCTAssertFalse(IceCredentials.isValid("ab:c", minimumLength: 4))
        let (sessionUfrag, sessionPassword) = IceLiteAgent.randomCredentials()
        XCTAssertTrue(IceCredentials.isValid(sessionUfrag, minimumLength: 4))
        XCTAssertTrue(IceCredentials.isValid(sessionPassword, minimumLength: 22))
    }
}
