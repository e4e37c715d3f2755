import MediaCore
import NIOCore
import XCTest
@testable import MediaServer

/// Every datagram's source is converted from NIO's socket address without text:
/// it must land on the same TransportAddress the textual path gives.
final class SocketAddressConversionTests: XCTestCase {
    func testIPv4AndIPv6SourcesMatchTheTextualAddress() throws {
        for (ip, port) in [("192.0.2.7", 5004), ("127.0.0.1", 65535), ("2001:db8::1:2", 40000), ("::1", 9)] {
            let socket = try SocketAddress(ipAddress: ip, port: port)
            let converted = try XCTUnwrap(TransportAddress(socket))
            XCTAssertEqual(converted, TransportAddress(ip: ip, port: UInt16(port)), ip)
            XCTAssertEqual(converted.ipString, TransportAddress(ip: ip, port: 0)?.ipString)
            XCTAssertEqual(try XCTUnwrap(SocketAddress(converted)), socket)
        }
    }

    func testUnixSocketsAreNotTransportAddresses() throws {
        XCTAssertNil(TransportAddress(try SocketAddress(unixDomainSocketPath: "/tmp/parley-test.sock")))
    }
}
