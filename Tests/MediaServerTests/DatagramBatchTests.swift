import Glibc
import MediaCore
import XCTest
@testable import MediaServer

/// The engine's send path on real loopback sockets: datagrams arrive whole and in
/// order across automatic flushes, and one the socket cannot send is dropped and
/// counted without losing the rest of the batch.
final class DatagramBatchTests: XCTestCase {
    private var descriptors: [CInt] = []

    override func tearDown() {
        for descriptor in descriptors { close(descriptor) }
        descriptors = []
    }

    /// A non-blocking IPv4 UDP socket on 127.0.0.1 and its port.
    private func udpSocket() throws -> (CInt, UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        descriptors.append(descriptor)
        var size: CInt = 8 << 20
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<CInt>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(descriptor, pointer, length) == 0 else { return -1 }
                return getsockname(descriptor, pointer, &length)
            }
        }
        XCTAssertEqual(bound, 0)
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    private func receiveAll(_ descriptor: CInt) -> [[UInt8]] {
        var received: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count < 0 { return received }
            received.append(Array(buffer[0..<count]))
        }
    }

    func testDatagramsArriveWholeAndInOrderAcrossAutomaticFlushes() throws {
        let (sender, _) = try udpSocket()
        let (receiver, port) = try udpSocket()
        let batch = DatagramBatch(socket: sender)
        let destination = try XCTUnwrap(TransportAddress(ip: "127.0.0.1", port: port))
        let datagrams = (0..<(2 * DatagramBatch.maximumDatagrams + 17)).map { index in
            [UInt8(index >> 8), UInt8(index & 0xFF)] + [UInt8](repeating: UInt8(index % 251), count: 40 + index % 900)
        }
        for datagram in datagrams { batch.append(datagram, to: destination) }
        batch.flush()
        XCTAssertTrue(batch.isEmpty)
        let counts = batch.takeCounts()
        XCTAssertEqual(counts.sent, datagrams.count)
        XCTAssertEqual(counts.dropped, 0)
        XCTAssertEqual(receiveAll(receiver), datagrams)
        XCTAssertEqual(batch.takeCounts().sent, 0, "counts restart after each take")
    }

    func testAnUnsendableDatagramIsDroppedAndTheRestStillGo() throws {
        let (sender, _) = try udpSocket()
        let (receiver, port) = try udpSocket()
        let batch = DatagramBatch(socket: sender)
        let destination = try XCTUnwrap(TransportAddress(ip: "127.0.0.1", port: port))
        // An IPv4 socket cannot send to an IPv6 address: sendmmsg stops there.
        let unreachable = try XCTUnwrap(TransportAddress(ip: "2001:db8::1", port: port))
        batch.append([1], to: destination)
        batch.append([], to: destination)  // nothing to send: dropped, not a crash
        batch.append([2], to: unreachable)
        batch.append([3], to: destination)
        batch.append([4], to: destination)
        batch.flush()
        let counts = batch.takeCounts()
        XCTAssertEqual(counts.sent, 3)
        XCTAssertEqual(counts.dropped, 2)
        XCTAssertEqual(receiveAll(receiver), [[1], [3], [4]])
    }

    /// A mixer writes its packets straight into the batch's buffer; one it declines
    /// to write (an SRTP refusal) leaves no datagram and no drop behind.
    func testPacketsWrittenInPlaceAreSentAndAnUnwrittenOrOverlongOneLeavesNoTrace() throws {
        let (sender, _) = try udpSocket()
        let (receiver, port) = try udpSocket()
        let batch = DatagramBatch(socket: sender)
        let destination = try XCTUnwrap(TransportAddress(ip: "127.0.0.1", port: port))
        let written = (0..<300).map { index in [UInt8](repeating: UInt8(index % 256), count: 20 + index % 150) }
        for (index, datagram) in written.enumerated() {
            batch.queue(to: destination, capacity: datagram.count + 148) { slot in
                XCTAssertGreaterThanOrEqual(slot.count, datagram.count + 148)
                slot.copyBytes(from: datagram)
                return datagram.count
            }
            if index % 7 == 0 { batch.queue(to: destination, capacity: 200) { _ in 0 } }
        }
        // A filler claiming more than its slot holds sends nothing and counts a drop.
        batch.queue(to: destination, capacity: 64) { slot in slot.count + 1 }
        batch.flush()
        let counts = batch.takeCounts()
        XCTAssertEqual(counts.sent, written.count)
        XCTAssertEqual(counts.dropped, 1)
        XCTAssertEqual(receiveAll(receiver), written)
    }
}
