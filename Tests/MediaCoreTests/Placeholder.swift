import XCTest
final class MediaCoreTestsPlaceholder: XCTestCase { func testBuilds() {} }
