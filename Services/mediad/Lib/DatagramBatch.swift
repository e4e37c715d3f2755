#if canImport(Glibc)
import Glibc
#endif
import CShim
import MediaCore

/// One mixing thread's outgoing datagrams, sent with one sendmmsg(2) per flush
/// straight from this batch's own buffer, on the thread that made them.
///
/// NIO's channel write path costs a pipeline trip, an envelope and a pending-write
/// entry per datagram, plus a hop to the socket's thread for every other mixing
/// thread: in a 750-listener town hall that was a fifth of mediad's core. Here a
/// datagram costs its copy and its share of the system call. NIO still owns the
/// socket and reads it; this writes through a duplicate of its descriptor. A
/// datagram the kernel will not take (a full send buffer, an address the socket's
/// family cannot reach) is dropped and counted, as a router would.
final class DatagramBatch {
    static let maximumDatagrams = Int(PARLEY_SENDMMSG_MAX)
    static let arenaBytes = 128 * 1024

    private let socket: CInt
    // What parley_sendmmsg takes, one entry per queued datagram; the names point
    // into `addresses` for good, the buffers into `arena`.
    private let buffers: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private let lengths: UnsafeMutablePointer<Int>
    private let names: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private let nameLengths: UnsafeMutablePointer<UInt32>
    private let addresses: UnsafeMutablePointer<sockaddr_storage>
    private let arena: UnsafeMutableRawPointer
    private var count = 0
    private var used = 0
    /// Datagrams the kernel accepted, and those dropped, since the last `takeCounts`.
    private var sent = 0
    private var dropped = 0

    init(socket: CInt) {
        self.socket = socket
        let capacity = Self.maximumDatagrams
        addresses = .allocate(capacity: capacity)
        addresses.initialize(repeating: sockaddr_storage(), count: capacity)
        arena = .allocate(byteCount: Self.arenaBytes, alignment: 16)
        buffers = .allocate(capacity: capacity)
        buffers.initialize(repeating: nil, count: capacity)
        lengths = .allocate(capacity: capacity)
        lengths.initialize(repeating: 0, count: capacity)
        names = .allocate(capacity: capacity)
        for slot in 0..<capacity { (names + slot).initialize(to: UnsafeMutableRawPointer(addresses + slot)) }
        nameLengths = .allocate(capacity: capacity)
        nameLengths.initialize(repeating: 0, count: capacity)
    }

    deinit {
        addresses.deallocate()
        arena.deallocate()
        buffers.deallocate()
        lengths.deallocate()
        names.deallocate()
        nameLengths.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// Queues one datagram (copied); sends the batch first when it is full.
    func append(_ bytes: [UInt8], to address: TransportAddress) {
        queue(to: address, capacity: bytes.count) { slot in
            bytes.withUnsafeBytes { source in slot.copyMemory(from: source) }
            return bytes.count
        }
    }

    /// Sends what is queued. sendmmsg stops at the first datagram it cannot send:
    /// that one is dropped and the rest go on, unless the socket's buffer is full
    /// (then the rest of the batch is dropped too: late audio is worth nothing).
    func flush() {
        var next = 0
        while next < count {
            let result = send(from: next)
            if result > 0 {
                sent += Int(result)
                next += Int(result)
                continue
            }
            let failure = errno
            if result < 0 && failure == EINTR { continue }
            if result < 0 && (failure == EAGAIN || failure == EWOULDBLOCK || failure == ENOBUFS) {
                dropped += count - next
                break
            }
            dropped += 1
            next += 1
        }
        count = 0
        used = 0
    }

    /// One sendmmsg of the queued datagrams from `first` on; -1 with errno on failure.
    private func send(from first: Int) -> Int32 {
        parley_sendmmsg(socket, buffers + first, lengths + first, names + first, nameLengths + first, UInt32(count - first))
    }

    /// Sent and dropped datagrams since the last call.
    func takeCounts() -> (sent: Int, dropped: Int) {
        defer { sent = 0; dropped = 0 }
        return (sent, dropped)
    }
}

extension DatagramBatch: DatagramSink {
    /// Lets `fill` write one datagram straight into the batch's buffer (a mixer
    /// builds and seals it there); sends the batch first when it is full.
    func queue(to address: TransportAddress, capacity: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Int) {
        guard capacity > 0, capacity <= Self.arenaBytes else {
            dropped += 1
            return
        }
        if count == Self.maximumDatagrams || used + capacity > Self.arenaBytes { flush() }
        let slot = UnsafeMutableRawBufferPointer(start: arena + used, count: capacity)
        let length = fill(slot)
        // Nothing written (the sender refused it): there is no datagram to count.
        guard length > 0 else { return }
        // A length past the slot cannot have been written: refuse it, as DatagramList does.
        guard length <= capacity else {
            dropped += 1
            return
        }
        buffers[count] = slot.baseAddress
        lengths[count] = length
        nameLengths[count] = UInt32(address.write(into: addresses + count))
        count += 1
        used += length
    }
}
