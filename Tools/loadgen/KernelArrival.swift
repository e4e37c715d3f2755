// The CMSG macros are not in Swift's Glibc module: CShim wraps them.
import CShim
import Foundation

/// Arrival times as the kernel stamped them (SO_TIMESTAMPNS), on `Clock`'s timeline.
///
/// Why: the receive thread shares the generator's core with the senders, roomd and
/// signald, and sleeps `SharedPort.pollInterval` once the socket is empty. Timing a
/// datagram when it was read added that wait (up to half a millisecond, more when the
/// core was busy) to every inter-arrival gap and mixer latency. A listener on its own
/// machine would have had the packet when the kernel took it in.
enum KernelArrival {
    /// Room for one SCM_TIMESTAMPNS control message (and an IP_PKTINFO one beside it).
    static let controlCapacity = 128

    /// Stamps every datagram `descriptor` receives from now on.
    static func enable(on descriptor: CInt) throws {
        var on: CInt = 1
        guard setsockopt(descriptor, SOL_SOCKET, SO_TIMESTAMPNS, &on, socklen_t(MemoryLayout<CInt>.size)) == 0 else {
            throw UdpSocket.Failure.call("setsockopt SO_TIMESTAMPNS")
        }
    }

    /// The kernel's receive stamp of `message` (CLOCK_REALTIME seconds), when it has one.
    static func stamp(of message: inout msghdr) -> Double? {
        guard let data = controlData(of: &message, level: SOL_SOCKET, type: SO_TIMESTAMPNS) else { return nil }
        let spec = data.loadUnaligned(as: timespec.self)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }


    /// Converts kernel stamps to `Clock` for the datagrams of one read.
    struct Converter {
        /// `Clock.now()` when the read returned.
        let readAt: Double
        /// CLOCK_REALTIME minus CLOCK_MONOTONIC, read back to back just now.
        private let offset: Double

        init() {
            var real = timespec()
            readAt = Clock.now()
            clock_gettime(CLOCK_REALTIME, &real)
            offset = Double(real.tv_sec) + Double(real.tv_nsec) / 1e9 - readAt
        }

        /// When a datagram stamped `stamp` arrived; the read time without a stamp. Never
        /// later than the read, nor more than a second before it (a clock step meanwhile).
        func arrival(stamp: Double?) -> Double {
            guard let stamp else { return readAt }
            let arrival = stamp - offset
            return arrival <= readAt && readAt - arrival < 1 ? arrival : readAt
        }
    }
}

/// The data of `message`'s control message of `level` and `type`, if it has one.
func controlData(of message: inout msghdr, level: CInt, type: CInt) -> UnsafeMutableRawPointer? {
    var header = parley_cmsg_firsthdr(&message)
    while let current = header {
        if current.pointee.cmsg_level == level, current.pointee.cmsg_type == type { return parley_cmsg_data(current) }
        header = parley_cmsg_nxthdr(&message, current)
    }
    return nil
}
