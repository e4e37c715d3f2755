import XCTest
final class MediaServerTestsPlaceholder: XCTestCase { func testBuilds() {} }
