import Foundation
import Logging
import MediaCore
import NIOCore
import NIOPosix

/// Drives one load run: creates rooms, ramps joins, sends media on a 5 ms
/// phase clock (each participant every 20 ms, a quarter of them per phase),
/// measures a window and returns the summary.
final class Runner: @unchecked Sendable {
    let options: LoadGen
    let mediaGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let controlGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let loop: EventLoop
    /// Reads every participant's socket on its own thread; `tick` takes what it read.
    let poller: ListenerPoller
    let http: HttpClient
    let assets: AudioAssets
    let certificate: DtlsCertificate
    let signaling: any ParticipantDriver
    let signalingActivity = SignalingActivity()

    // Everything below is confined to `loop`.
    var participants: [SyntheticParticipant] = []
    var roomIds: [String] = []
    /// Per room, each marker's send time and its talker's participant index.
    var roomMarkers: [[(sentAt: Double, talker: Int)]] = []
    var nextMarkerAt: [Double] = []
    var pendingMarkerTail: Set<Int> = []
    /// This tick's senders of silence, sent after its talkers (kept to reuse its storage).
    private var quietSenders: [SyntheticParticipant] = []
    var gapHistogram = [Int](repeating: 0, count: 1001)
    var lagHistogram = [Int](repeating: 0, count: 1001)
    var latencies: [Double] = []
    /// The same latencies timed when the receive thread read the marker, not when the
    /// kernel took it in: what the figures were before `KernelArrival`.
    var latenciesAtRead: [Double] = []
    /// Every timed marker of the window, for `--marker-log`.
    var markerRecords: [MarkerRecord] = []
    /// From the kernel's arrival to the read, in 10 µs buckets (the last: 20 ms and more).
    var readDelayHistogram = [Int](repeating: 0, count: 2001)
    /// The read delay of the datagram being delivered (`onPacket` runs inside `deliver`).
    private var deliveringReadDelay = 0.0
    var sentInWindow = 0
    var windowOpen = false
    var startTime = 0.0
    var tickCount = 0
    var measuringPerRoom = 0
    /// Set when the run is over: the send clock stops and no participant holds a socket.
    var mediaStopped = false

    init(options: LoadGen) throws {
        self.options = options
        loop = mediaGroup.next()
        poller = try ListenerPoller(sharedPort: options.onePort ? SharedPort() : nil)
        http = HttpClient(group: controlGroup)
        assets = try AudioAssets()
        certificate = DtlsCertificate.shared
        var logger = Logger(label: "loadgen")
        logger.logLevel = .warning
        signaling = options.janus.map { JanusDriver(base: $0) as any ParticipantDriver }
            ?? SignalingDriver(group: controlGroup, logger: logger)
    }

    var total: Int { options.rooms * options.participantsPerRoom }

    func run() async throws -> Summary {
        try poller.start()
        do {
            let summary = try await measure()
            await stopMedia()
            return summary
        } catch {
            await stopMedia()
            throw error
        }
    }

    /// Stops the send clock, then the receive thread, which closes every socket.
    func stopMedia() async {
        _ = try? await loop.submit {
            self.mediaStopped = true
            for p in self.participants { p.closeSocket() }
            self.poller.stopAccepting()
        }.get()
        poller.stop()
    }

    func measure() async throws -> Summary {
        let baseline = options.mediadPid.flatMap(ProcessSample.read)
        roomIds = try await signaling.createRooms(http: http, options: options)
        let perRoom = options.participantsPerRoom
        let measuring = min(options.listenersMeasuring, max(0, perRoom - options.talkers))
        measuringPerRoom = measuring
        try await loop.submit {
            self.roomMarkers = Array(repeating: [], count: self.options.rooms)
            self.nextMarkerAt = Array(repeating: 0, count: self.options.rooms)
            for index in 0..<self.total {
                let inRoom = index / self.options.rooms
                self.participants.append(SyntheticParticipant(
                    index: index, room: index % self.options.rooms, indexInRoom: inRoom,
                    measuring: inRoom >= perRoom - measuring, loop: self.loop, receiver: self.poller,
                    bindHost: self.options.bindAddress, candidateHost: self.options.candidateAddress))
                let added = self.participants[self.participants.count - 1]
                added.verifiesMedia = added.measuring || added.index % max(1, self.options.verifyEvery) == 0
            }
            self.startTime = Clock.now()
            self.scheduleTick(at: .now() + .milliseconds(5))
        }.get()
        print(String(format: "loadgen: %d rooms × %d participants, %d talking per room, ramp %.0f/s; speech frames %d (avg %d B), silence %d B, marker onset %d samples",
                     options.rooms, perRoom, options.talkers, options.ramp, assets.speech.count,
                     assets.speech.reduce(0) { $0 + $1.count } / max(1, assets.speech.count), assets.silence.count, assets.markerOnsetSamples))

        // Ramp: participants are spread over rooms round-robin so every room fills evenly.
        let rampStart = Clock.now()
        let progress = loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in self.progress() }
        for index in 0..<total {
            let due = rampStart + Double(index) / options.ramp
            let wait = due - Clock.now()
            if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
            let participant = try await loop.submit { () -> SyntheticParticipant in
                let p = self.participants[index]
                p.state = .joining
                p.startedAt = Clock.now()
                return p
            }.get()
            Task.detached { await self.signaling.join(participant, runner: self) }
        }
        // Wait for every join to settle (connected or failed).
        while true {
            let (pending, _) = try await loop.submit { self.expireAndCount() }.get()
            if pending == 0 { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let settled = Clock.now()
        let joinPhase = try await loop.submit { self.joinFigures(rampStart: rampStart) }.get()
        progress.cancel()
        if !options.quiet { try await loop.submit { self.progress() }.get() }
        let drainedAfter = try await signalingActivity.waitForDrain(participants: options.rooms * options.participantsPerRoom)
        print(String(format: "loadgen: signalling drained %.1f s after the last join settled", drainedAfter))
        // Only now does the send clock go real-time: during the joins it would starve
        // roomd, signald and the generator's own signalling. The settling time comes
        // after it, so the window does not measure the server's jitter buffers giving
        // back the delay a lagging send clock had built up.
        if options.realtimeClock {
            print("loadgen: send clock \(try await SendClockPriority.raise(loop).get()) from the \(options.settleSeconds) s settling time on")
            SendClockPriority.raise(poller)
        }
        try await Task.sleep(nanoseconds: UInt64(max(0, options.settleSeconds) * 1e9))

        // Measurement window.
        let metricsBefore = await scrapeMetrics()
        let mediadBefore = options.mediadPid.flatMap(ProcessSample.read)
        let selfBefore = ProcessSample.read(pid: getpid())
        let windowStart = Clock.now()
        try await loop.submit { self.openWindow() }.get()
        try await waitOutWindow(from: windowStart)
        let windowFigures = try await loop.submit { self.closeWindow() }.get()
        if let path = options.markerLog {
            try MarkerRecord.write(try await loop.submit { self.markerRecords }.get(), to: path)
        }
        let windowSeconds = Clock.now() - windowStart
        let mediadAfter = options.mediadPid.flatMap(ProcessSample.read)
        let selfAfter = ProcessSample.read(pid: getpid())
        let metricsAfter = await scrapeMetrics()
        _ = settled

        var summary = Summary(options: options, join: joinPhase, window: windowFigures, windowSeconds: windowSeconds)
        if let before = mediadBefore, let after = mediadAfter {
            summary.mediadCpuSeconds = after.cpuSeconds - before.cpuSeconds
            summary.mediadRssKB = after.rssKB
            if let baseline {
                summary.mediadRssGrowthKB = after.rssKB - baseline.rssKB
                summary.mediadAnonymousGrowthKB = after.anonymousKB - baseline.anonymousKB
            }
        }
        if let before = selfBefore, let after = selfAfter {
            summary.generatorCpuSeconds = after.cpuSeconds - before.cpuSeconds
        }
        if let before = metricsBefore, let after = metricsAfter {
            summary.lateTicks = after.total("mediad_late_ticks_total") - before.total("mediad_late_ticks_total")
            summary.ticks = after.total("mediad_mixer_tick_seconds_count") - before.total("mediad_mixer_tick_seconds_count")
            summary.tickSeconds = after.total("mediad_mixer_tick_seconds_sum") - before.total("mediad_mixer_tick_seconds_sum")
            let b0 = before.buckets("mediad_mixer_tick_seconds"), b1 = after.buckets("mediad_mixer_tick_seconds")
            summary.tickBuckets = b1.map { bound, count in (bound, count - (b0.first { $0.0 == bound }?.1 ?? 0)) }
        }
        return summary
    }

    /// Sleeps through the window; with `--report-every`, prints a cumulative line each
    /// period (`interim key=value …`, parsed by Tools/soak.py).
    func waitOutWindow(from start: Double) async throws {
        let end = start + options.duration
        while true {
            let remaining = end - Clock.now()
            guard remaining > 0 else { return }
            let step = options.reportEvery > 0 ? min(options.reportEvery, remaining) : remaining
            try await Task.sleep(nanoseconds: UInt64(step * 1e9))
            guard options.reportEvery > 0, Clock.now() < end - 0.5 else { continue }
            let (window, connected, dropped) = try await loop.submit { () -> (WindowFigures, Int, Int) in
                let figures = self.closeWindow()
                self.windowOpen = true
                return (figures, self.participants.filter { $0.state == .connected }.count, self.droppedAfterConnect)
            }.get()
            let rss = options.mediadPid.flatMap(ProcessSample.read)?.rssKB ?? 0
            print(String(format: "interim t=%.0f connected=%d/%d sent=%d received=%d lost=%d late=%d maxgap_ms=%.0f latency_p50_ms=%.1f latency_p99_ms=%.1f mediad_rss_kb=%d dropped=%d",
                         Clock.now() - start, connected, total, window.sent, window.received, window.lost, window.late,
                         window.maxGap * 1000, (window.latencyP50 ?? 0) * 1000, (window.latencyP99 ?? 0) * 1000, rss, dropped))
            fflush(stdout)
        }
    }

    /// Participants whose session ended (an `error`, kick or close) after they had connected.
    var droppedAfterConnect: Int { participants.filter { $0.connectedAt != nil && $0.state == .failed }.count }

    func scrapeMetrics() async -> MetricsSample? {
        guard let url = options.mediadMetrics else { return nil }
        guard let response = try? await http.request("GET", url), response.status == 200 else { return nil }
        return MetricsSample(text: response.text)
    }

    // MARK: - on `loop`

    func expireAndCount() -> (pending: Int, connected: Int) {
        let now = Clock.now()
        var pending = 0, connected = 0
        for p in participants {
            switch p.state {
            case .connected: connected += 1
            case .failed: break
            case .pending: pending += 1
            default:
                if now - p.startedAt > options.joinTimeout { p.fail("timeout in state \(p.state)") } else { pending += 1 }
            }
        }
        return (pending, connected)
    }

    func progress() {
        var counts: [SyntheticParticipant.State: Int] = [:]
        for p in participants { counts[p.state, default: 0] += 1 }
        guard !options.quiet else { return }
        print(String(format: "[%6.1fs] started %d/%d  signalling %d  connecting %d  connected %d  failed %d",
                     Clock.now() - startTime, total - (counts[.pending] ?? 0), total,
                     (counts[.joining] ?? 0) + (counts[.offered] ?? 0), counts[.connecting] ?? 0,
                     counts[.connected] ?? 0, counts[.failed] ?? 0))
        fflush(stdout)
    }

    func joinFigures(rampStart: Double) -> JoinFigures {
        var figures = JoinFigures()
        let connected = participants.filter { $0.state == .connected }
        figures.connected = connected.count
        figures.failed = participants.count - connected.count
        figures.failures = Array(participants.compactMap { $0.failure }.prefix(5))
        let times = connected.compactMap { p in p.connectedAt.map { $0 - p.startedAt } }.sorted()
        figures.joinP50 = percentile(times, 50) ?? 0
        figures.joinP99 = percentile(times, 99) ?? 0
        if let last = connected.compactMap({ $0.connectedAt }).max() {
            figures.elapsed = last - rampStart
            figures.joinsPerSecond = Double(connected.count) / max(0.001, last - rampStart)
        }
        return figures
    }

    func openWindow() {
        deliver(poller.takeReceived())
        for p in participants { p.stats.resetCounts() }
        gapHistogram = Array(repeating: 0, count: gapHistogram.count)
        lagHistogram = Array(repeating: 0, count: lagHistogram.count)
        readDelayHistogram = Array(repeating: 0, count: readDelayHistogram.count)
        latencies = []
        latenciesAtRead = []
        markerRecords = []
        sentInWindow = 0
        windowOpen = true
    }

    func closeWindow() -> WindowFigures {
        deliver(poller.takeReceived())
        windowOpen = false
        var figures = WindowFigures()
        for p in participants where p.state == .connected {
            figures.received += p.stats.packets
            figures.lost += p.stats.lost
            figures.reordered += p.stats.reordered
            figures.intervals += p.stats.intervals
            figures.late += p.stats.late
            figures.maxGap = max(figures.maxGap, p.stats.maxGap)
            figures.srtpFailures += p.peer?.counters.droppedSrtpAuth ?? 0
            figures.listeners += 1
        }
        figures.sent = sentInWindow
        figures.gapP50 = percentile(histogram: gapHistogram, 50) ?? 0
        figures.gapP99 = percentile(histogram: gapHistogram, 99) ?? 0
        figures.gapP999 = percentile(histogram: gapHistogram, 99.9) ?? 0
        let sorted = latencies.sorted()
        figures.latencyCount = sorted.count
        figures.latencyP50 = percentile(sorted, 50)
        figures.latencyP99 = percentile(sorted, 99)
        if let longest = sorted.last {
            figures.latencyBuckets = Array(repeating: 0, count: min(500, Int(max(0, longest) * 500) + 1))
            for latency in sorted { figures.latencyBuckets[min(figures.latencyBuckets.count - 1, Int(max(0, latency) * 500))] += 1 }
        }
        figures.lagP99 = percentile(histogram: lagHistogram, 99) ?? 0
        figures.lagMax = lagHistogram.lastIndex { $0 > 0 } ?? 0
        let atRead = latenciesAtRead.sorted()
        figures.latencyAtReadP50 = percentile(atRead, 50)
        figures.latencyAtReadP99 = percentile(atRead, 99)
        figures.readDelayP50Ms = Double(percentile(histogram: readDelayHistogram, 50) ?? 0) / 100
        figures.readDelayP99Ms = Double(percentile(histogram: readDelayHistogram, 99) ?? 0) / 100
        return figures
    }

    /// Sends `p`'s next frame: speech, a marker, silence or (DTX) nothing.
    private func sendFrame(_ p: SyntheticParticipant, _ peer: ClientPeer, talking: Bool, firstTalker: Bool,
                           now: Double, markerInterval: Double, sendsDtx: Bool) {
        var frame: [UInt8]
        var level: UInt8
        if !pendingMarkerTail.isEmpty && pendingMarkerTail.remove(p.index) != nil {
            frame = assets.marker[1]; level = 10
        } else if talking && firstTalker && measuringPerRoom > 0 && now >= nextMarkerAt[p.room] {
            frame = assets.marker[0]; level = 5
            nextMarkerAt[p.room] = now + markerInterval
            pendingMarkerTail.insert(p.index)
        } else if talking {
            frame = assets.speech[p.speechPosition % assets.speech.count]; level = 30
            p.speechPosition += 1
        } else if sendsDtx && p.framesSinceSilence < Self.dtxInterval {
            // Opus DTX as browsers do it when asked (usedtx=1): one silence frame every 400 ms.
            p.framesSinceSilence += 1
            peer.skipFrame()
            return
        } else {
            frame = assets.silence; level = 127
            p.framesSinceSilence = 1
        }
        if level != 127 { p.framesSinceSilence = Int.max }  // after speech, DTX starts with a silence frame
        if let datagram = peer.send(opus: frame, level: level), p.transmit(datagram) {
            p.sent += 1
            if windowOpen { sentInWindow += 1 }
            if level == 5 { roomMarkers[p.room].append((Clock.now(), p.index)) }
        }
    }

    func scheduleTick(at deadline: NIODeadline) {
        loop.scheduleTask(deadline: deadline) { self.tick(deadline: deadline) }
    }

    static let dtxInterval = 20
    /// The 5 ms phases of the send clock: participant `i` sends in phase `i % sendPhases`.
    static let sendPhases = 4

    /// Every 5 ms: a quarter of the participants send their next 20 ms frame.
    func tick(deadline: NIODeadline) {
        guard !mediaStopped else { return }
        let nowDeadline = NIODeadline.now()
        let lagMs = Int((nowDeadline.uptimeNanoseconds &- deadline.uptimeNanoseconds) / 1_000_000)
        if windowOpen { lagHistogram[min(lagHistogram.count - 1, max(0, lagMs))] += 1 }
        let phase = tickCount % Self.sendPhases
        tickCount += 1
        let now = Clock.now()
        let elapsed = now - startTime
        // Options are read once per tick: each read of an ArgumentParser property goes
        // through a generic getter, which at thousands of participants per tick added up.
        let rooms = Double(max(1, options.rooms))
        let perRoom = options.participantsPerRoom
        let switchSeconds = options.switchSeconds, talkers = options.talkers
        let markerInterval = options.markerInterval, sendsDtx = options.silence == .dtx
        // Talkers send first: each stands for a machine of its own, so its frame should
        // not wait behind a quarter of the room's silence (the server would take that
        // wait for network jitter and buffer deeper).
        quietSenders.removeAll(keepingCapacity: true)
        var index = phase
        while index < participants.count {
            let p = participants[index]
            index += Self.sendPhases
            guard let peer = p.peer else { continue }
            if p.state == .connecting || p.state == .connected {
                p.transmit(peer.handleTimeout(now: now))
            }
            guard p.state == .connected else { continue }
            // Talkers rotate over the non-measuring participants of the room. Rooms are
            // independent meetings: their switches are spread over the switch interval
            // rather than all landing on one tick.
            let period = Int(elapsed / switchSeconds + Double(p.room) / rooms)
            let candidates = max(1, perRoom - measuringPerRoom)
            let slot = ((p.indexInRoom - period * talkers) % candidates + candidates) % candidates
            let talking = !p.measuring && slot < talkers
            if talking || pendingMarkerTail.contains(p.index) {
                sendFrame(p, peer, talking: talking, firstTalker: slot == 0, now: now, markerInterval: markerInterval, sendsDtx: sendsDtx)
            } else {
                quietSenders.append(p)
            }
        }
        for p in quietSenders {
            guard let peer = p.peer else { continue }
            sendFrame(p, peer, talking: false, firstTalker: false, now: now, markerInterval: markerInterval, sendsDtx: sendsDtx)
        }
        // After the sends, so that they leave on time.
        deliver(poller.takeReceived())
        var next = deadline + .milliseconds(5)
        if next < nowDeadline - .milliseconds(100) {
            // Fell far behind (the joins can starve the clock): skip ahead, but keep every
            // sender's RTP clock on wall time as a real sender's is. Otherwise the server
            // counts the skipped time as transit jitter, and a stream that then sends only
            // DTX frames takes minutes to forget it (RFC 3550 smooths over 16 packets).
            let skippedFrames = Int((nowDeadline - next).nanoseconds / 20_000_000)
            for p in participants { p.peer?.skipFrame(count: skippedFrames) }
            next = nowDeadline + .milliseconds(5)
        }
        scheduleTick(at: next)
    }

    /// Datagrams the receive thread read, each to its participant (on `loop`).
    func deliver(_ batch: [ReceivedDatagram]) {
        for datagram in batch where datagram.participant < participants.count {
            deliveringReadDelay = max(0, datagram.readAt - datagram.arrival)
            if windowOpen { readDelayHistogram[min(readDelayHistogram.count - 1, Int(deliveringReadDelay * 100_000))] += 1 }
            participants[datagram.participant].received(datagram.bytes, from: datagram.source, now: datagram.arrival)
        }
    }

    /// Every received RTP packet (on `loop`).
    func onPacket(_ p: SyntheticParticipant, _ packet: RtpPacket, _ arrival: Double) {
        p.stats.record(sequence: packet.sequenceNumber, arrival: arrival, histogram: &gapHistogram)
        guard p.measuring, let decoder = p.decoder, let pcm = try? decoder.decode(packet.payload) else { return }
        let markers = roomMarkers[p.room]
        guard let lastIndex = markers.indices.last, lastIndex > p.lastDetectedMarker else { return }
        let (sentAt, talker) = markers[lastIndex]
        // Read before the marker left (the loop takes reads on its next tick): not its mix.
        guard arrival > sentAt, arrival - sentAt < 1.0,
              let onset = pcm.firstIndex(where: { abs(Int32($0)) >= Int32(AudioAssets.markerThreshold) }) else { return }
        p.lastDetectedMarker = lastIndex
        let latency = (arrival + Double(onset) / AudioAssets.sampleRate)
            - (sentAt + Double(assets.markerOnsetSamples) / AudioAssets.sampleRate)
        if windowOpen {
            latencies.append(latency)
            latenciesAtRead.append(latency + deliveringReadDelay)
            if options.markerLog != nil {
                // The same turn arithmetic as `tick`'s talker rotation.
                let turns = (sentAt - startTime) / options.switchSeconds + Double(p.room) / Double(max(1, options.rooms))
                markerRecords.append(MarkerRecord(sentAt: sentAt - startTime, room: p.room, listener: p.index, talker: talker,
                                                  sinceSwitch: (turns - turns.rounded(.down)) * options.switchSeconds, latency: latency))
            }
        }
    }
}
