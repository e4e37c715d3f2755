import XCTest
@testable import MediaCore

final class Crc32Tests: XCTestCase {
    func testCheckValue() {
        // The standard CRC-32 check value for "123456789".
        XCTAssertEqual(Crc32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(Crc32.checksum([UInt8]()), 0)
        XCTAssertEqual(Crc32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)), 0x414F_A339)
    }
}
