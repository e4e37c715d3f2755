import Foundation
import XCTest
@testable import RoomServer

final class SecurityTests: XCTestCase {
    func testAdminKeyIsGeneratedPrivateAndReused() throws {
        let fixture = try RoomdFixture(adminKey: nil)
        defer { fixture.cleanup() }
        let path = fixture.config.adminKeyPath
        XCTAssertEqual(path, fixture.directory + "/data/admin.key")
        XCTAssertEqual(fixture.app.adminKeyPath, path)
        let key = fixture.app.adminKey
        XCTAssertEqual(key.count, 64)
        XCTAssertTrue(key.allSatisfy(\.isHexDigit))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        try fixture.restart()
        XCTAssertEqual(fixture.app.adminKey, key, "reused after a restart")

        let other = try RoomdFixture(adminKey: nil)
        defer { other.cleanup() }
        XCTAssertNotEqual(other.app.adminKey, key)
    }

    func testExplicitAdminKeyWritesNoFile() throws {
        let fixture = try RoomdFixture(adminKey: "given")
        defer { fixture.cleanup() }
        XCTAssertNil(fixture.app.adminKeyPath)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.config.adminKeyPath))
    }

    func testPinHashIsSaltedAndVerified() {
        let first = PinHasher.hash("1234")
        let second = PinHasher.hash("1234")
        XCTAssertNotEqual(first, second, "salted")
        XCTAssertFalse(first.contains("1234"))
        XCTAssertTrue(PinHasher.verify("1234", against: first))
        XCTAssertTrue(PinHasher.verify("1234", against: second))
        XCTAssertFalse(PinHasher.verify("1235", against: first))
        XCTAssertFalse(PinHasher.verify("", against: first))
        XCTAssertFalse(PinHasher.verify("1234", against: "garbage"))
        XCTAssertFalse(PinHasher.verify("1234", against: "sha256i$1$zz$00"))
    }

    func testConstantTimeEquals() {
        XCTAssertTrue(ConstantTime.equals("abc", "abc"))
        XCTAssertFalse(ConstantTime.equals("abc", "abd"))
        XCTAssertFalse(ConstantTime.equals("abc", "abcd"))
        XCTAssertFalse(ConstantTime.equals("", "a"))
        XCTAssertTrue(ConstantTime.equals("", ""))
    }

    func testIdentifiersAreRandomAndUrlSafe() {
        let ids = (0..<200).map { _ in SecureRandom.identifier(prefix: "r_") }
        XCTAssertEqual(Set(ids).count, ids.count)
        for id in ids {
            XCTAssertEqual(id.count, 14)
            XCTAssertTrue(id.dropFirst(2).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
    }

    func testConfigFromEnvironmentDefaults() {
        let config = RoomServerConfig()
        XCTAssertEqual(config.httpAddress, "127.0.0.1:8080")
        XCTAssertEqual(config.databasePath, "./data/roomd.sqlite")
        XCTAssertEqual(config.tokenTTLSeconds, 600)
        XCTAssertEqual(config.adminKeyPath, "./data/admin.key")
        XCTAssertEqual(RoomServerConfig.parseList(" turn:a:3478, ,turns:b:5349 "), ["turn:a:3478", "turns:b:5349"])
    }
}
