import XCTest
final class RoomServerTestsPlaceholder: XCTestCase { func testBuilds() {} }
