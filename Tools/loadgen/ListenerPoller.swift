// epoll and pthread_setname_np are not in Swift's Glibc module: CShim has them.
import CShim
import Foundation
import MediaCore

/// One datagram as the receive thread read it.
struct ReceivedDatagram {
    let bytes: [UInt8]
    /// Index of the participant whose socket it came in on.
    let participant: Int
    let source: TransportAddress
    /// `Clock` time the kernel took it in (`KernelArrival`): inter-arrival gaps and mixer
    /// latency are timed on it.
    let arrival: Double
    /// `Clock.now()` when the receive thread read it.
    let readAt: Double
}

/// Reads every participant's UDP socket on one thread of its own. What it reads
/// waits in an inbox that the media loop empties on its 5 ms send tick, where
/// participants' state stays confined.
///
/// With a NIO channel per participant, each received packet cost an epoll event, two
/// recvmsg calls (the second says EAGAIN), a pipeline trip and an envelope: at 1,000
/// town-hall listeners (50 packets/s each) that was the generator's whole core. Here
/// a packet costs one recvmsg and a copy; the epoll wait is shared by everything
/// ready at once, and the loop is not woken for it at all. Arrival times are the
/// kernel's (`KernelArrival`), so neither the wait for the read nor the one in the
/// inbox shows in the figures.
final class ListenerPoller: @unchecked Sendable {
    /// Events taken per epoll_wait.
    static let maximumEvents = 512
    /// As NIO's receive buffer was: a larger datagram is truncated (no peer sends one).
    static let datagramCapacity = 2048
    /// Bounds a wait with nothing to read, so that `stop` is seen.
    static let idleWaitMilliseconds: CInt = 100

    private let epoll: CInt
    /// With `--one-port`: every participant's socket is an address on this one.
    private let sharedPort: SharedPort?
    private let lock = NSLock()
    // Guarded by `lock`.
    private var inbox: [ReceivedDatagram] = []
    private var open: Set<CInt> = []
    private var closing: [CInt] = []
    /// Shared-port addresses given (a participant) or given up (nil) since the last round.
    private var routeChanges: [(host: UInt32, participant: Int?)] = []
    private var accepting = true
    private var stopping = false
    private var thread: pthread_t?

    init(sharedPort: SharedPort? = nil) throws {
        epoll = epoll_create1(CInt(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw UdpSocket.Failure.call("epoll_create1") }
        self.sharedPort = sharedPort
    }

    /// Starts the receive thread.
    func start() throws {
        var handle = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&handle, nil, { context in
            guard let context else { return nil }
            Unmanaged<ListenerPoller>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<ListenerPoller>.fromOpaque(context).release()
            throw UdpSocket.Failure(description: "pthread_create: \(String(cString: strerror(result)))")
        }
        lock.withLock { thread = handle }
    }

    /// What was read since the last call, in the order it was read.
    func takeReceived() -> [ReceivedDatagram] {
        lock.withLock {
            defer { inbox = [] }
            return inbox
        }
    }

    /// A socket for the participant at `index`, read from here on: a fresh one bound on
    /// `host`, or with `--one-port` an address of its own on the shared port.
    func open(host: String, participant index: Int) throws -> UdpSocket {
        guard let sharedPort else {
            let bound = try UdpSocket.bind(host: host)
            try add(bound, participant: index)
            return bound
        }
        let socket = try sharedPort.open()
        guard let host = socket.sharedSource else { throw UdpSocket.Failure(description: "shared port without a source") }
        try lock.withLock {
            guard accepting else { throw UdpSocket.Failure(description: "the run is over") }
            routeChanges.append((host, index))
        }
        return socket
    }

    /// Watches `socket` for the participant at `index`; from here on the poller owns it
    /// (and closes it at once when it cannot be watched).
    func add(_ socket: UdpSocket, participant index: Int) throws {
        try KernelArrival.enable(on: socket.descriptor)
        try lock.withLock {
            var event = epoll_event()
            event.events = EPOLLIN.rawValue  // level-triggered: one read per round, the rest next round
            event.data.u64 = UInt64(UInt32(bitPattern: socket.descriptor)) | UInt64(index) << 32
            guard accepting, epoll_ctl(epoll, EPOLL_CTL_ADD, socket.descriptor, &event) == 0 else {
                let failure = accepting ? UdpSocket.Failure.call("epoll_ctl") : UdpSocket.Failure(description: "the run is over")
                Glibc.close(socket.descriptor)
                throw failure
            }
            open.insert(socket.descriptor)
        }
    }

    /// Closes `socket` on the receive thread, once no read of it is in progress.
    /// The caller must not use it any more.
    func close(_ socket: UdpSocket) {
        lock.withLock {
            if let host = socket.sharedSource { routeChanges.append((host, nil)) } else { closing.append(socket.descriptor) }
        }
    }

    /// Refuses new sockets: call on the loop once no participant holds one.
    func stopAccepting() {
        lock.withLock { accepting = false }
    }

    /// Runs the receive thread SCHED_FIFO at `priority` (when permitted); false when refused.
    func raisePriority(to priority: Int32) -> Bool {
        guard let thread = lock.withLock({ thread }) else { return false }
        var parameters = sched_param()
        parameters.sched_priority = priority
        return pthread_setschedparam(thread, Int32(SCHED_FIFO), &parameters) == 0
    }

    /// Stops the receive thread and waits for it; every socket still open is closed.
    func stop() {
        let (running, first) = lock.withLock { () -> (pthread_t?, Bool) in
            defer {
                accepting = false
                stopping = true
                thread = nil
            }
            return (thread, !stopping)
        }
        guard first else { return }
        if let running { pthread_join(running, nil) } else { closeEverything() }
    }

    // MARK: - on the receive thread

    private func run() {
        _ = parley_set_thread_name("lg-receive")
        if let sharedPort {
            runShared(sharedPort)
            closeEverything()
            return
        }
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Self.maximumEvents)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.datagramCapacity, alignment: 16)
        let control = UnsafeMutableRawPointer.allocate(byteCount: KernelArrival.controlCapacity, alignment: 16)
        defer {
            events.deallocate()
            buffer.deallocate()
            control.deallocate()
        }
        var source = SocketName()
        var vector = iovec(iov_base: buffer, iov_len: Self.datagramCapacity)
        while true {
            let ready = Int(epoll_wait(epoll, events, CInt(Self.maximumEvents), Self.idleWaitMilliseconds))
            var batch: [ReceivedDatagram] = []
            batch.reserveCapacity(max(0, ready))
            for event in UnsafeBufferPointer(start: events, count: max(0, ready)) {
                let descriptor = CInt(bitPattern: UInt32(truncatingIfNeeded: event.data.u64))
                var message = msghdr()
                let count = source.fill { name, length in
                    withUnsafeMutablePointer(to: &vector) { vector in
                        message.msg_name = UnsafeMutableRawPointer(name)
                        message.msg_namelen = length.pointee
                        message.msg_iov = vector
                        message.msg_iovlen = 1
                        message.msg_control = control
                        message.msg_controllen = KernelArrival.controlCapacity
                        return recvmsg(descriptor, &message, 0)
                    }
                }
                // EAGAIN, or an error the read has now cleared: nothing to hand over.
                guard count >= 0, let from = source.transportAddress else { continue }
                let clock = KernelArrival.Converter()
                let arrival = clock.arrival(stamp: KernelArrival.stamp(of: &message))
                batch.append(ReceivedDatagram(bytes: Array(UnsafeRawBufferPointer(start: buffer, count: min(count, Self.datagramCapacity))),
                                              participant: Int(event.data.u64 >> 32), source: from, arrival: arrival, readAt: clock.readAt))
            }
            // One lock a round: hand over what was read, take the sockets given up, see a stop.
            let (givenUp, stop) = lock.withLock { () -> ([CInt], Bool) in
                if inbox.isEmpty { inbox = batch } else { inbox.append(contentsOf: batch) }
                defer { closing = [] }
                for descriptor in closing { open.remove(descriptor) }
                return (closing, stopping)
            }
            // None of them is being read now, and none will be again.
            for descriptor in givenUp {
                epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
                Glibc.close(descriptor)
            }
            if stop { break }
        }
        closeEverything()
    }

    /// Reads the shared port in batches; a datagram's destination address says whose it is.
    private func runShared(_ port: SharedPort) {
        let buffers = SharedPort.ReadBuffers()
        var routes: [UInt32: Int] = [:]
        var read: [(bytes: [UInt8], source: TransportAddress, destination: UInt32, stamp: Double?)] = []
        while true {
            read.removeAll(keepingCapacity: true)
            let count = port.read(buffers) { bytes, source, destination, stamp in read.append((Array(bytes), source, destination, stamp)) }
            let clock = KernelArrival.Converter()
            // One lock a round: take the addresses given and given up, hand over what was read.
            let stop = lock.withLock { () -> Bool in
                for change in routeChanges { routes[change.host] = change.participant }
                routeChanges = []
                for datagram in read {
                    guard let participant = routes[datagram.destination] else { continue }
                    inbox.append(ReceivedDatagram(bytes: datagram.bytes, participant: participant,
                                                  source: datagram.source, arrival: clock.arrival(stamp: datagram.stamp),
                                                  readAt: clock.readAt))
                }
                return stopping
            }
            if stop { return }
            // Emptied: sleep on a timer rather than on the socket (see `SharedPort`).
            if count < SharedPort.batch {
                var interval = SharedPort.pollInterval
                nanosleep(&interval, nil)
            }
        }
    }

    private func closeEverything() {
        let descriptors = lock.withLock { () -> Set<CInt> in
            defer {
                open = []
                closing = []
            }
            return open.union(closing)
        }
        for descriptor in descriptors { Glibc.close(descriptor) }
        sharedPort?.close()
        Glibc.close(epoll)
    }
}
