/// A town hall's tick wraps and sends a packet for every listener: ~20 µs each
/// with SRTP and the send, so 15 ms for 750 in one block, while the speakers'
/// datagrams wait unread (their wait counts as network jitter and deepens the
/// jitter buffers) and the thread's other phases start late. So a tick sends the
/// first `slice` listeners' packets and the driver asks for the rest a slice at a
/// time, reading datagrams in between. A meeting room never has more to send.
extension MixingRoom {
    public static let defaultFanOutSlice = 64

    struct FanOut {
        var slice = MixingRoom.defaultFanOutSlice
        private var pending: [(session: ServerSession, payload: [UInt8])] = []
        private var next = 0

        var isEmpty: Bool { next >= pending.count }

        /// Who still has a packet to come this tick (tests).
        var waiting: [String] { pending[next...].map(\.session.participantId) }

        mutating func add(_ session: ServerSession, _ payload: [UInt8]) {
            pending.append((session, payload))
        }

        /// Wraps up to `limit` pending packets into `sink`. A session that ended
        /// meanwhile (left, kicked) wraps nothing.
        mutating func drain(into sink: DatagramSink, limit: Int) {
            var wrapped = 0
            while next < pending.count && wrapped < limit {
                pending[next].session.packetize(opus: pending[next].payload, into: sink)
                next += 1
                wrapped += 1
            }
            if next >= pending.count {
                // Keeps the storage; lets go of the payloads (the encoders reuse theirs).
                pending.removeAll(keepingCapacity: true)
                next = 0
            }
        }
    }

    /// Whether this tick still has packets to send (`continueFanOut`).
    public var hasPendingFanOut: Bool { !fanOut.isEmpty }

    /// Queues the next slice of this tick's packets into `sink`.
    public func continueFanOut(into sink: DatagramSink) {
        fanOut.drain(into: sink, limit: fanOut.slice)
    }

    /// The next slice of this tick's packets, as transmits (tests).
    public func continueFanOut() -> [Transmit] {
        collected.removeAll()
        continueFanOut(into: collected)
        return collected.transmits
    }
}
