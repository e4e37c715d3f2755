import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix

/// `loadgen`: synthetic participants joining Parley through the real path
/// (REST → WebSocket → offer/answer → ICE → DTLS → SRTP), sending pre-encoded
/// Opus and measuring what they receive. See Tools/bench for the benchmarks.
enum SilenceMode: String, ExpressibleByArgument {
    case dtx, frames
}

@main
struct LoadGen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load generator for Parley (or, with --janus, Janus AudioBridge).")

    @Option(help: "roomd base URL") var roomd = "http://127.0.0.1:8080"
    @Option(help: "drive Janus AudioBridge at this HTTP API URL (e.g. http://127.0.0.1:8088/janus) instead of Parley") var janus: String?
    @Option(help: "local address the participants' UDP sockets bind to") var bindAddress = "127.0.0.1"
    @Option(help: "address offered as the host candidate to Janus (default: the bound address)") var candidateAddress: String?
    @Option(help: "admin API key") var adminKey = ""
    @Option(help: "number of rooms") var rooms = 1
    @Option(help: "participants per room") var participantsPerRoom = 10
    @Option(help: "talkers per room at a time") var talkers = 2
    @Option(help: "joins started per second") var ramp = 50.0
    @Option(help: "measurement window in seconds (after everyone connected)") var duration = 20.0
    @Option(help: "participants per room that decode their stream to measure mixer latency") var listenersMeasuring = 2
    @Option(help: "seconds between talker switches") var switchSeconds = 4.0
    @Option(help: "only every Nth participant (and every measuring one) decrypts and authenticates what it receives; the rest count packets from the clear RTP header, so one generator core can listen for more") var verifyEvery = 1
    @Option(help: "what silent participants send: dtx (a silence frame every 400 ms, as browsers do with usedtx=1, which mediad asks for) or frames (one every 20 ms)") var silence = SilenceMode.dtx
    @Option(help: "seconds between latency markers per room") var markerInterval = 1.0
    @Option(help: "give up on joins still pending after this many seconds") var joinTimeout = 30.0
    @Option(help: "seconds between the joins (and the presence backlog after them) being done and the window: the server's jitter buffers give back what the joins' stutter made them hold") var settleSeconds = 2.0
    @Option(help: "mediad (or Janus) process id: CPU and RSS are read from /proc over the window") var mediadPid: Int32?
    @Option(help: "mediad /metrics URL: tick metrics are read at window start and end") var mediadMetrics: String?
    @Option(help: "print cumulative window figures every this many seconds (soak runs); 0 = only the summary") var reportEvery = 0.0
    @Option(help: "write the summary as JSON to this file") var json: String?
    @Option(help: "write every marker the window timed to this CSV file (when, room, listener, talker and its send phase, latency): where a latency tail comes from") var markerLog: String?
    @Option(help: "label printed in the summary") var label = ""
    @Flag(help: "run the media loop (the send clock) SCHED_FIFO when permitted, so other threads on its core cannot delay it") var realtimeClock = false
    @Flag(help: "less progress output") var quiet = false
    @Flag(help: "one UDP socket for all participants, each on its own loopback address (127.1.x.y) at one port; on loopback the receive side of each datagram is charged to the sender, and one socket read in batches makes that share small, as listeners on their own machines would") var onePort = false

    func validate() throws {
        if onePort && (bindAddress != "127.0.0.1" || candidateAddress != nil || janus != nil) {
            throw ValidationError("--one-port works on loopback only: not with --bind-address, --candidate-address or --janus")
        }
    }

    func run() async throws {
        let runner = try Runner(options: self)
        let summary = try await runner.run()
        summary.print()
        if let json {
            let data = try JSONSerialization.data(withJSONObject: summary.json, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: json))
        }
        fflush(stdout)
        Foundation.exit(0)
    }
}
