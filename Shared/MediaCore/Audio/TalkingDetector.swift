import Foundation

/// Decides whether a participant is talking, with hysteresis so the state
/// does not flicker between syllables.
///
/// Input is the RFC 6464 audio level (0 = 0 dBov loudest … 127 = silence)
/// when the client sends it, else a level computed from the decoded PCM.
/// Call `update` for every 20 ms frame, with both inputs nil when no packet
/// arrived (DTX or loss), so silence is noticed even without packets.
public struct TalkingDetector {
    public struct Configuration: Equatable, Sendable {
        /// A frame is speech when its level is below this (louder than -N dBov).
        public var speechLevel: UInt8 = 50
        /// Speech must last this long before the state turns true.
        public var onsetDuration: Double = 0.4
        /// Silence this long ends a speech run (pauses between words do not).
        public var gapTolerance: Double = 0.3
        /// Silence this long turns the state false.
        public var releaseDuration: Double = 1.0

        public init(speechLevel: UInt8 = 50, onsetDuration: Double = 0.4,
                    gapTolerance: Double = 0.3, releaseDuration: Double = 1.0) {
            self.speechLevel = speechLevel
            self.onsetDuration = onsetDuration
            self.gapTolerance = gapTolerance
            self.releaseDuration = releaseDuration
        }
    }

    public let configuration: Configuration
    public private(set) var isTalking = false
    private var runStart: Double?
    private var lastSpeech: Double?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Returns the new state when it changes, nil otherwise.
    public mutating func update(level: UInt8?, pcm: [Int16]?, now: Double) -> Bool? {
        let frameLevel = level.map { min($0, 127) } ?? pcm.map(Self.level(of:)) ?? 127
        if frameLevel < configuration.speechLevel {
            if let last = lastSpeech, now - last <= configuration.gapTolerance, runStart != nil {
                // Still the same speech run.
            } else {
                runStart = now
            }
            lastSpeech = now
        }
        let wasTalking = isTalking
        if !isTalking, let start = runStart, let last = lastSpeech, last == now,
           now - start >= configuration.onsetDuration {
            isTalking = true
        } else if isTalking, now - (lastSpeech ?? -.infinity) >= configuration.releaseDuration {
            isTalking = false
            runStart = nil
        }
        return isTalking == wasTalking ? nil : isTalking
    }

    /// The RFC 6464 style level of a PCM frame: -dBFS of its RMS, 0…127.
    public static func level(of pcm: [Int16]) -> UInt8 {
        guard !pcm.isEmpty else { return 127 }
        var energy = 0.0
        for sample in pcm {
            let value = Double(sample) / 32_768
            energy += value * value
        }
        let rms = (energy / Double(pcm.count)).squareRoot()
        guard rms > 0 else { return 127 }
        let dbov = 20 * log10(rms)
        return UInt8(max(0, min(127, (-dbov).rounded())))
    }
}
