import Foundation
import MediaCore

/// Everything the synthetic participants send, encoded once at start: a few
/// seconds of speech-like audio, silence (tiny frames, as DTX-ish browsers
/// send), and a marker click used to measure mixer latency.
struct AudioAssets {
    static let sampleRate = 48_000.0
    static let frameSamples = 960
    /// Listener-side detection threshold; speech peaks stay far below it.
    static let markerThreshold: Int16 = 14_000

    let speech: [[UInt8]]
    let silence: [UInt8]
    /// Two frames: the burst (starting mid-frame) and its tail.
    let marker: [[UInt8]]
    /// Where the decoded burst first crosses the threshold, in samples from
    /// the start of the first marker frame (includes the codec delay).
    let markerOnsetSamples: Int

    init(seconds: Double = 4, complexity: Int32 = 5) throws {
        // Coded as a browser codes a microphone (SILK/hybrid), so mediad decodes what it would in a call.
        let options = OpusEncoderOptions(complexity: complexity, modePolicy: .voice)
        let encoder = try OpusAudioEncoder(options: options)
        let frameCount = Int(seconds * 50)
        var pcm = Self.speechLike(samples: frameCount * Self.frameSamples)
        speech = try (0..<frameCount).map { index in
            try encoder.encode(pcm: Array(pcm[(index * Self.frameSamples)..<((index + 1) * Self.frameSamples)]))
        }
        pcm = []
        let quiet = [Int16](repeating: 0, count: Self.frameSamples)
        let silenceEncoder = try OpusAudioEncoder(options: options)
        var last: [UInt8] = []
        for _ in 0..<10 { last = try silenceEncoder.encode(pcm: quiet) }
        silence = last

        let markerEncoder = try OpusAudioEncoder(options: options)
        let burst = Self.burstFrame()
        let sequence = [quiet, quiet, quiet, burst, quiet, quiet]
        let encoded = try sequence.map { try markerEncoder.encode(pcm: $0) }
        marker = [encoded[3], encoded[4]]
        let decoder = try OpusAudioDecoder(channels: 1)
        var decoded: [Int16] = []
        for frame in encoded { decoded += try decoder.decode(frame) }
        let onset = decoded.firstIndex { abs(Int32($0)) >= Int32(Self.markerThreshold) } ?? (3 * Self.frameSamples + 480)
        markerOnsetSamples = onset - 3 * Self.frameSamples
    }

    /// Voiced harmonics with a wandering pitch and syllable-rate envelope,
    /// peaking near 3,000 (about -20 dBFS).
    static func speechLike(samples: Int) -> [Int16] {
        var out = [Int16](repeating: 0, count: samples)
        var phase = 0.0
        var seed: UInt32 = 12345
        for index in 0..<samples {
            let t = Double(index) / sampleRate
            let f0 = 140 + 25 * sin(2 * .pi * 0.7 * t) + 10 * sin(2 * .pi * 2.3 * t)
            phase += 2 * .pi * f0 / sampleRate
            var value = 0.0
            for harmonic in 1...14 {
                let frequency = f0 * Double(harmonic)
                // Two broad formants around 500 Hz and 1,500 Hz.
                let formant = exp(-pow((frequency - 500) / 300, 2)) + 0.6 * exp(-pow((frequency - 1500) / 500, 2)) + 0.05
                value += formant * sin(Double(harmonic) * phase) / Double(harmonic).squareRoot()
            }
            seed = seed &* 1_103_515_245 &+ 12345
            let noise = (Double(seed >> 16 & 0x7FFF) / 16384 - 1) * 0.05
            let syllable = max(0, sin(2 * .pi * 3.2 * t + sin(2 * .pi * 0.3 * t)))
            let envelope = pow(syllable, 0.6) * (0.6 + 0.4 * sin(2 * .pi * 0.21 * t).magnitude)
            out[index] = Int16(max(-32767, min(32767, (value * envelope + noise) * 1400)))
        }
        return out
    }

    /// 10 ms of a loud 1 kHz tone starting halfway through the frame.
    static func burstFrame() -> [Int16] {
        (0..<frameSamples).map { index in
            guard index >= 480 else { return 0 }
            let n = Double(index - 480)
            let ramp = min(1, n / 24)
            return Int16(26_000 * ramp * sin(2 * .pi * 1000 * n / sampleRate))
        }
    }
}
