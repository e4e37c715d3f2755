import ArgumentParser
import Foundation
import MediaCore

/// `allocbench`: heap allocations and CPU time of mediad's sans-IO media core in the
/// steady state — per received RTP packet, per sent packet, per mixer tick — for
/// rooms of synthetic participants wired in memory (no sockets, no NIO).
@main
struct AllocBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Counts allocations per packet in MediaCore's steady state (run with LD_PRELOAD of libMallocInterposerSwift.so).")

    @Option(help: "number of rooms") var rooms = 10
    @Option(help: "participants per room") var participantsPerRoom = 10
    @Option(help: "talkers per room") var talkers = 2
    @Option(help: "frames before measuring (jitter buffers fill, encoders and decoders are created)") var warmupFrames = 250
    @Option(help: "frames measured") var frames = 500
    @Flag(help: "only measure SRTP protect cost against the number of live contexts") var srtpScaling = false
    @Option(help: "the mixer's Opus mode policy: adaptive (CELT on a clean path, mediad's default) or voice")
    var opusMode = OpusModePolicy.lossAdaptive
    @Flag(help: "silent participants send every frame instead of DTX (a silence frame every 400 ms)") var noDtx = false
    @Flag(help: "exit with status 1 when Parley's own code allocates on the packet path (on average a packet or more in two)") var requireZeroPerPacket = false

    func run() throws {
        guard AllocationCounter.isActive else {
            print("allocbench: the malloc interposer is not loaded; run with LD_PRELOAD=<bin>/libMallocInterposerSwift.so")
            throw ExitCode(2)
        }
        if srtpScaling {
            print("| SRTP protect (GCM), one packet per context in turn | libsrtp (NSS) µs | OpenSSL µs | ratio |")
            print("|---|---|---|---|")
            for count in [1, 100, 500, 1000, 2000] {
                let nss = try SrtpScaling.microsPerProtect(contexts: count, engine: .libsrtp)
                let openssl = try SrtpScaling.microsPerProtect(contexts: count, engine: .fastest)
                print("| \(count) contexts | \(hundredths(nss)) | \(hundredths(openssl)) | \(hundredths(openssl / nss)) |")
            }
            return
        }
        let call = try InMemoryRooms(rooms: rooms, participantsPerRoom: participantsPerRoom, talkers: talkers,
                                     encoderOptions: OpusEncoderOptions(modePolicy: opusMode))
        try call.connectAll()
        let frames = try SpeechFrames()
        var driver = FrameDriver(call: call, frames: frames)
        driver.silenceInterval = noDtx ? 1 : 20
        print("allocbench: \(rooms) rooms × \(participantsPerRoom), \(talkers) talking, Opus mode \(opusMode.rawValue), silent ones \(noDtx ? "sending every frame" : "in DTX"); warm-up \(warmupFrames) frames, measuring \(self.frames)")
        for _ in 0..<warmupFrames { driver.step(counting: false) }
        driver.resetTimers()
        for _ in 0..<self.frames { driver.step(counting: false) }
        let serverCpu = driver.serverSeconds
        for _ in 0..<self.frames { driver.step(counting: true) }
        // The sessions negotiated AEAD_AES_128_GCM (our preference, on OpenSSL); the SRTP layer's own share is measured apart.
        let gcm = try SrtpAllocations.measure(profile: .aeadAes128Gcm)
        let cm = try SrtpAllocations.measure(profile: .aes128CmSha1_80)
        let report = driver.report(participants: call.clients.count, frames: self.frames, serverCpuSeconds: serverCpu,
                                   srtpUnprotect: gcm.unprotect, srtpProtect: gcm.protect)
        print(report.text)
        print("| libsrtp alone, AES_CM_128_HMAC_SHA1_80: allocations per protect / unprotect | \(cm.protect) / \(cm.unprotect) |")
        if requireZeroPerPacket {
            // libsrtp's own count is measured apart and subtracted; half an allocation per
            // packet leaves room for its rounding, while any allocation of ours per packet fails.
            guard report.ownReceiveAllocations < 0.5 && report.ownSendAllocations < 0.5 else {
                print("allocbench: FAIL — the packet path allocates (received \(report.ownReceiveAllocations), sent \(report.ownSendAllocations) per packet)")
                throw ExitCode(1)
            }
            print("allocbench: OK — no allocation of Parley's own per received or sent packet")
        }
    }

    private func hundredths(_ value: Double) -> String { String(Double(Int(value * 100)) / 100) }
}

extension OpusModePolicy: ExpressibleByArgument {}
