import Glibc
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceKit
import XCTest
@testable import MediaServer

/// A long task on the socket's own loop reads what is waiting (NIO would run the
/// task's follow-up before polling the socket again, and time those datagrams late).
final class UdpDriverTests: XCTestCase {
    func testALongTaskOnTheSocketsLoopReadsWhatIsWaiting() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let received = NIOLockedValueBox<[(bytes: [UInt8], port: Int?)]>([])
        let udp = try await UdpDriver.bind(ListenAddress(host: "127.0.0.1", port: 0), group: group.next()) { buffer, address in
            received.withLockedValue { $0.append((Array(buffer.readableBytesView), address.port)) }
        }
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(sender, 0)
        var destination = sockaddr_in()
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        destination.sin_port = UInt16(udp.port).bigEndian
        let port = udp.port

        let (read, again, limited) = try await udp.eventLoop.submit { () -> (Int, Int, Int) in
            func send(_ bytes: [UInt8]) {
                var to = destination
                _ = withUnsafePointer(to: &to) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(sender, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            for index in 0..<3 { send([UInt8(index), 7, 7]) }
            var read = 0
            for _ in 0..<100 where read < 3 {
                read += udp.readPending(limit: 3 - read)
                if read < 3 { usleep(1_000) }
            }
            let again = udp.readPending(limit: 10)
            for index in 3..<8 { send([UInt8(index)]) }
            usleep(20_000)
            return (read, again, udp.readPending(limit: 2))
        }.get()

        XCTAssertEqual(read, 3, "read inside the task, before the loop polls")
        XCTAssertEqual(again, 0, "nothing waiting: returns at once")
        XCTAssertEqual(limited, 2, "no more than asked for")
        let first = received.withLockedValue { Array($0.prefix(5)) }
        XCTAssertEqual(first.map(\.bytes), [[0, 7, 7], [1, 7, 7], [2, 7, 7], [3], [4]])
        XCTAssertTrue(first.allSatisfy { $0.port != nil && $0.port != port }, "the sender's address comes along")
        XCTAssertEqual(udp.readPending(limit: 10), 0, "off the socket's loop it reads nothing")
        // The channel reads the rest as usual.
        for _ in 0..<200 where received.withLockedValue({ $0.count }) < 8 { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertEqual(received.withLockedValue { $0.map(\.bytes) }.suffix(3), [[5], [6], [7]])
        close(sender)
        await udp.close()
        try await group.shutdownGracefully()
    }
}
