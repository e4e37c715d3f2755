import COpus
import CShim

/// Encodes 48 kHz interleaved Int16 PCM into Opus packets (VoIP application;
/// CELT or SILK/hybrid as `options.modePolicy` says).
public final class OpusAudioEncoder {
    public let options: OpusEncoderOptions
    private let encoder: OpaquePointer
    /// libopus writes here; `output` keeps its storage between frames, so the
    /// mixer's steady state allocates nothing for its encodes.
    private let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: OpusFormat.maximumPacketBytes)
    private var output: [UInt8] = []

    public init(options: OpusEncoderOptions = OpusEncoderOptions()) throws {
        guard options.channels == 1 || options.channels == 2 else {
            throw MediaError.opusError(OPUS_BAD_ARG)
        }
        var error: Int32 = OPUS_OK
        guard let encoder = opus_encoder_create(OpusFormat.sampleRate, options.channels,
                                                OPUS_APPLICATION_VOIP, &error),
              error == OPUS_OK else {
            throw MediaError.opusError(error)
        }
        let results = [
            parley_opus_set_bitrate(encoder, options.bitrate),
            parley_opus_set_complexity(encoder, options.complexity),
            parley_opus_set_inband_fec(encoder, options.fec ? 1 : 0),
            parley_opus_set_packet_loss_perc(encoder, options.expectedLossPercent),
            parley_opus_set_dtx(encoder, options.dtx ? 1 : 0),
            parley_opus_set_signal(encoder, Self.signal(options, expectedLoss: options.expectedLossPercent)),
        ]
        if let failure = results.first(where: { $0 != OPUS_OK }) {
            opus_encoder_destroy(encoder)
            throw MediaError.opusError(failure)
        }
        self.options = options
        self.encoder = encoder
        expectedLossPercent = options.expectedLossPercent
    }

    deinit {
        opus_encoder_destroy(encoder)
        scratch.deallocate()
    }

    /// Encodes one frame: `pcm.count / channels` must be a valid Opus frame
    /// size (960 samples per channel for 20 ms).
    public func encode(pcm: [Int16]) throws -> [UInt8] {
        let channels = Int(options.channels)
        let frameSize = pcm.count / channels
        guard pcm.count % channels == 0, OpusFormat.encodableFrameSamples.contains(frameSize) else {
            throw MediaError.opusError(OPUS_BAD_ARG)
        }
        let length = pcm.withUnsafeBufferPointer { samples -> Int32 in
            guard let input = samples.baseAddress else { return OPUS_BAD_ARG }
            return opus_encode(encoder, input, Int32(frameSize), scratch, Int32(OpusFormat.maximumPacketBytes))
        }
        guard length > 0 else { throw MediaError.opusError(length) }
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: UnsafeBufferPointer(start: scratch, count: Int(length)))
        return output
    }

    /// The loss the encoder currently plans FEC for (starts at `options.expectedLossPercent`).
    public private(set) var expectedLossPercent: Int32

    /// Follows the receivers' reported loss: with in-band FEC on, SILK adds a
    /// low-bitrate copy of the previous frame once the loss makes it worth it.
    public func setExpectedLoss(_ percent: Int32) {
        let clamped = min(max(percent, 0), 100)
        guard clamped != expectedLossPercent else { return }
        guard parley_opus_set_packet_loss_perc(encoder, clamped) == OPUS_OK else { return }
        let before = Self.signal(options, expectedLoss: expectedLossPercent)
        expectedLossPercent = clamped
        let after = Self.signal(options, expectedLoss: clamped)
        // libopus crossfades the switch between CELT and SILK itself.
        if after != before { _ = parley_opus_set_signal(encoder, after) }
    }

    /// Whether the encoder is coding speech as SILK/hybrid (the only mode with in-band FEC).
    public var codesAsVoice: Bool {
        Self.signal(options, expectedLoss: expectedLossPercent) == OPUS_SIGNAL_VOICE
    }

    /// The signal hint that steers libopus's mode choice: at 32 kb/s "voice" means
    /// SILK/hybrid and "music" means CELT.
    private static func signal(_ options: OpusEncoderOptions, expectedLoss: Int32) -> Int32 {
        switch options.modePolicy {
        case .voice: return OPUS_SIGNAL_VOICE
        case .lossAdaptive: return options.fec && expectedLoss > 0 ? OPUS_SIGNAL_VOICE : OPUS_SIGNAL_MUSIC
        }
    }

    public func reset() {
        parley_opus_encoder_reset(encoder)
    }
}
