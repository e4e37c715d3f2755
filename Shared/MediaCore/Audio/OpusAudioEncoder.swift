import COpus
import CShim

/// Encodes 48 kHz interleaved Int16 PCM into Opus packets, CELT or SILK/hybrid
/// as `options.modePolicy` says.
///
/// While it codes CELT for the adaptive policy the encoder runs as libopus's
/// low-delay application: its look-ahead is 2.5 ms instead of 6.5 ms, the 4 ms
/// libopus otherwise keeps to be able to switch to SILK, which a mixer adds to
/// every listener's latency. Switching to SILK (loss reported) then restarts it
/// as a VoIP encoder at once; back to low delay only after `lowDelayDwellFrames`
/// of clean CELT, since each restart costs the listeners a few milliseconds of
/// audio.
public final class OpusAudioEncoder {
    public let options: OpusEncoderOptions
    private let encoder: OpaquePointer
    /// libopus writes here; `output` keeps its storage between frames, so the
    /// mixer's steady state allocates nothing for its encodes.
    private let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: OpusFormat.maximumPacketBytes)
    private var output: [UInt8] = []
    /// `OPUS_APPLICATION_VOIP` or `OPUS_APPLICATION_RESTRICTED_LOWDELAY`.
    private var application: Int32
    /// Whether the encoder runs as libopus's low-delay (CELT-only) application.
    public var isLowDelay: Bool { application == OPUS_APPLICATION_RESTRICTED_LOWDELAY }
    /// Frames coded as CELT by a VoIP encoder since the loss went away.
    private var cleanFramesAsVoip = 0
    /// 10 s: a path that loses packets now and then does not restart the encoder each time.
    public static let lowDelayDwellFrames = 500

    public init(options: OpusEncoderOptions = OpusEncoderOptions()) throws {
        guard options.channels == 1 || options.channels == 2 else {
            throw MediaError.opusError(OPUS_BAD_ARG)
        }
        let application = Self.application(options, signal: Self.signal(options, expectedLoss: options.expectedLossPercent))
        var error: Int32 = OPUS_OK
        guard let encoder = opus_encoder_create(OpusFormat.sampleRate, options.channels, application, &error),
              error == OPUS_OK else {
            throw MediaError.opusError(error)
        }
        self.options = options
        self.encoder = encoder
        self.application = application
        expectedLossPercent = options.expectedLossPercent
        if let failure = configure() {
            opus_encoder_destroy(encoder)
            throw MediaError.opusError(failure)
        }
    }

    /// Applies `options` and the current loss; returns the first libopus error, if any.
    private func configure() -> Int32? {
        let results = [
            parley_opus_set_bitrate(encoder, options.bitrate),
            parley_opus_set_complexity(encoder, options.complexity),
            parley_opus_set_inband_fec(encoder, options.fec ? 1 : 0),
            parley_opus_set_packet_loss_perc(encoder, expectedLossPercent),
            parley_opus_set_dtx(encoder, options.dtx ? 1 : 0),
            parley_opus_set_signal(encoder, Self.signal(options, expectedLoss: expectedLossPercent)),
        ]
        return results.first { $0 != OPUS_OK }
    }

    /// SILK needs the VoIP application; CELT alone can do without its 4 ms of switching delay.
    private static func application(_ options: OpusEncoderOptions, signal: Int32) -> Int32 {
        options.modePolicy == .lossAdaptive && signal == OPUS_SIGNAL_MUSIC
            ? OPUS_APPLICATION_RESTRICTED_LOWDELAY : OPUS_APPLICATION_VOIP
    }

    /// How far the encoder's output lags its input, in samples per channel.
    public var lookaheadSamples: Int {
        var samples: Int32 = 0
        return parley_opus_get_lookahead(encoder, &samples) == OPUS_OK ? Int(samples) : 0
    }

    deinit {
        opus_encoder_destroy(encoder)
        scratch.deallocate()
    }

    /// Encodes one frame: `pcm.count / channels` must be a valid Opus frame
    /// size (960 samples per channel for 20 ms).
    public func encode(pcm: [Int16]) throws -> [UInt8] {
        settleApplication()
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
        guard after != before else { return }
        if Self.application(options, signal: after) != application && after == OPUS_SIGNAL_VOICE {
            restart(as: OPUS_APPLICATION_VOIP)
        } else {
            // libopus crossfades a switch between CELT and SILK itself.
            _ = parley_opus_set_signal(encoder, after)
        }
        cleanFramesAsVoip = 0
    }

    /// A VoIP encoder that has coded clean CELT for the dwell time becomes a low-delay one.
    private func settleApplication() {
        guard application == OPUS_APPLICATION_VOIP, options.modePolicy == .lossAdaptive, !codesAsVoice else { return }
        cleanFramesAsVoip += 1
        if cleanFramesAsVoip > Self.lowDelayDwellFrames { restart(as: OPUS_APPLICATION_RESTRICTED_LOWDELAY) }
    }

    /// libopus changes the application only of an encoder that has coded nothing
    /// since its last reset. If it refuses, the encoder goes on as it was.
    private func restart(as newApplication: Int32) {
        cleanFramesAsVoip = 0
        parley_opus_encoder_reset(encoder)
        if parley_opus_set_application(encoder, newApplication) == OPUS_OK { application = newApplication }
        _ = configure()
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
