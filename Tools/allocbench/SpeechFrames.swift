import Foundation
import MediaCore

/// Opus frames encoded once at start: two seconds of a voiced, syllable-modulated
/// tone (so the mixer decodes and encodes real audio) and a silence frame.
struct SpeechFrames {
    let speech: [[UInt8]]
    let silence: [UInt8]

    init() throws {
        // Coded as a browser codes a microphone (SILK/hybrid), so the mixer decodes what it would in a call.
        let encoder = try OpusAudioEncoder(options: OpusEncoderOptions(modePolicy: .voice))
        speech = try (0..<100).map { frame in
            try encoder.encode(pcm: (0..<960).map { sample in
                let t = Double(frame * 960 + sample) / 48_000
                let voice = sin(2 * .pi * 150 * t) + 0.5 * sin(2 * .pi * 450 * t) + 0.25 * sin(2 * .pi * 1_200 * t)
                return Int16(3_000 * voice * max(0.1, sin(2 * .pi * 3 * t).magnitude))
            })
        }
        let quiet = [Int16](repeating: 0, count: 960)
        var last: [UInt8] = []
        for _ in 0..<10 { last = try encoder.encode(pcm: quiet) }
        silence = last
    }
}

/// CPU time of the calling thread (the benchmark is single-threaded).
enum ThreadCpuClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
