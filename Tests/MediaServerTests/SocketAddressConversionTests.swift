import MediaCore
import NIOCore
import XCTest
@testable import MediaServer

/// Every datagram's source is converted from NIO's socket address without text:
/// it must land on the same TransportAddress the textual path gives, and every
/// destination must come back out as the same socket address.
final class SocketAddressConversionTests: XCTestCase {
    func testIPv4AndIPv6SourcesMatchTheTextualAddress() throws {
        for (ip, port) in [("192.0.2.7", 5004), ("127.0.0.1", 65535), ("2001:db8::1:2", 40000), ("::1", 9)] {
            let socket = try SocketAddress(ipAddress: ip, port: port)
            let converted = try XCTUnwrap(TransportAddress(socket))
            XCTAssertEqual(converted, TransportAddress(ip: ip, port: UInt16(port)), ip)
            XCTAssertEqual(converted.ipString, TransportAddress(ip: ip, port: 0)?.ipString)
            // And back to the socket address sendmmsg is given.
            var storage = sockaddr_storage()
            let length = converted.write(into: &storage)
            let written = withUnsafeBytes(of: storage) { raw -> SocketAddress in
                length == socklen_t(MemoryLayout<sockaddr_in>.size)
                    ? SocketAddress(raw.load(as: sockaddr_in.self), host: ip)
                    : SocketAddress(raw.load(as: sockaddr_in6.self), host: ip)
            }
            XCTAssertEqual(written, socket, ip)
        }
    }

    func testUnixSocketsAreNotTransportAddresses() throws {
        XCTAssertNil(TransportAddress(try SocketAddress(unixDomainSocketPath: "/tmp/parley-test.sock")))
    }
}
