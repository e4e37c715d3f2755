import XCTest
final class SignalServerTestsPlaceholder: XCTestCase { func testBuilds() {} }
