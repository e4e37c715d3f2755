/// A town hall's tick wraps and sends a packet for every listener: ~20 µs each
/// with SRTP and the send, so 15 ms for 750 in one block, while the speakers'
/// datagrams wait unread (their wait counts as network jitter and deepens the
/// jitter buffers) and the thread's other phases start late. So a tick sends the
/// first `slice` listeners' packets and the driver asks for the rest a slice at a
/// time, reading datagrams in between. A meeting room never has more to send.
import CShim

extension MixingRoom {
    public static let defaultFanOutSlice = 64

    /// One tick's packets: the speakers' own, then the one feed every other member
    /// of the roster gets. Listeners are walked in the roster itself (a copy of the
    /// array shares its storage), not queued one by one, so a packet costs its
    /// wrapping and little else.
    struct FanOut {
        var slice = MixingRoom.defaultFanOutSlice
        private var speakers: [(session: ServerSession, payload: [UInt8])] = []
        private var nextSpeaker = 0
        private var listeners: [ServerSession] = []
        /// `listeners`' objects. Prefetched in two steps, since the send path's addresses
        /// are read from the session: its first lines `prefetchDistance` listeners ahead,
        /// then the objects behind it (`ServerSession.prefetchSendPath`) `sendPathDistance` ahead.
        private var listenerObjects: [UnsafeRawPointer] = []
        static let prefetchDistance = 8
        static let sendPathDistance = 4
        static let prefetchLines: UInt32 = 6
        /// The speakers, served above: skipped in `listeners`.
        private var skipped: [ServerSession] = []
        private var feed: Feed = .conceal
        private var nextListener = 0
        private var forwards = 0
        /// The worst downlink loss among the listeners sent the shared mix, if any was.
        private var sharedLoss: Int32?

        var isEmpty: Bool { nextSpeaker >= speakers.count && nextListener >= listeners.count }

        /// Who still has a packet to come this tick (tests).
        var waiting: [String] {
            speakers[nextSpeaker...].map(\.session.participantId)
                + listeners[nextListener...].filter { listener in
                    listener.isConnected && !skipped.contains { $0 === listener }
                }.map(\.participantId)
        }

        mutating func addSpeaker(_ session: ServerSession, _ payload: [UInt8]) {
            speakers.append((session, payload))
        }

        /// Everyone in `roster` but `speakers` is sent `feed`.
        mutating func setListeners(_ roster: [ServerSession], objects: [UnsafeRawPointer], skipping speakers: [ServerSession],
                                   feed: Feed) {
            listeners = roster
            listenerObjects = objects
            skipped = speakers
            self.feed = feed
            nextListener = 0
        }

        /// Listeners sent a speaker's packet as it arrived, since the last call.
        mutating func takeForwards() -> Int {
            defer { forwards = 0 }
            return forwards
        }

        mutating func takeSharedLoss() -> Int32? {
            defer { sharedLoss = nil }
            return sharedLoss
        }

        /// For a walk over sessions at `index` (`objects`: their unretained addresses, which
        /// something else keeps alive): starts loading the session `prefetchDistance` ahead,
        /// and what `behind` loads from the one `sendPathDistance` ahead (whose first lines,
        /// where the addresses are read, came in meanwhile).
        @inline(__always)
        static func prefetch(ahead index: Int, in objects: [UnsafeRawPointer], behind: (ServerSession) -> Void) {
            if index + prefetchDistance < objects.count {
                parley_prefetch(objects[index + prefetchDistance], prefetchLines)
            }
            if index + sendPathDistance < objects.count {
                Unmanaged<ServerSession>.fromOpaque(objects[index + sendPathDistance])._withUnsafeGuaranteedRef { behind($0) }
            }
        }

        /// Wraps up to `limit` pending packets into `sink`. A session that ended
        /// meanwhile (left, kicked) wraps nothing.
        mutating func drain(into sink: DatagramSink, limit: Int) {
            var wrapped = 0
            while nextSpeaker < speakers.count && wrapped < limit {
                speakers[nextSpeaker].session.packetize(opus: speakers[nextSpeaker].payload, into: sink)
                nextSpeaker += 1
                wrapped += 1
            }
            while nextListener < listeners.count && wrapped < limit {
                // The roster copy in `listeners` keeps the sessions alive.
                Self.prefetch(ahead: nextListener, in: listenerObjects) { $0.prefetchSendPath() }
                let listener = listeners[nextListener]
                nextListener += 1
                guard listener.isConnected, !skipped.contains(where: { $0 === listener }) else { continue }
                wrapped += 1
                switch feed {
                case .conceal:
                    listener.skipFrame()
                case .send(let payload, let source):
                    if source == .forward { forwards += 1 }
                    if source == .sharedMix { sharedLoss = max(sharedLoss ?? 0, listener.downlinkLoss.percent) }
                    if let payload { listener.packetize(opus: payload, into: sink) }
                }
            }
            if isEmpty {
                // Keeps the storage; lets go of the payloads (the encoders reuse theirs)
                // and of the roster's copy (a member joining later need not copy it).
                speakers.removeAll(keepingCapacity: true)
                nextSpeaker = 0
                listeners = []
                listenerObjects = []
                skipped.removeAll(keepingCapacity: true)
                feed = .conceal
                nextListener = 0
            }
        }
    }

    /// Whether this tick still has packets to send (`continueFanOut`).
    public var hasPendingFanOut: Bool { !fanOut.isEmpty }

    /// Queues the next slice of this tick's packets into `sink`.
    public func continueFanOut(into sink: DatagramSink) {
        drainFanOut(into: sink, limit: fanOut.slice)
    }

    /// The next slice of this tick's packets, as transmits (tests).
    public func continueFanOut() -> [Transmit] {
        collected.removeAll()
        continueFanOut(into: collected)
        return collected.transmits
    }
}
