/// Which of Opus's coding modes an encoder leans to.
///
/// At 32 kb/s mono, libopus codes speech as SILK/hybrid when told it is voice
/// (~185 µs a frame at complexity 5 here) and as CELT otherwise (~70 µs). Only
/// SILK carries in-band FEC, which is worth its cost only when frames are lost.
public enum OpusModePolicy: String, Sendable, CaseIterable {
    /// CELT while the receivers report no loss; SILK/hybrid with in-band FEC
    /// from the first report of loss, back to CELT once reports are clean.
    /// The mixer's default: on a clean path it encodes 2.5× cheaper.
    case lossAdaptive = "adaptive"
    /// SILK/hybrid throughout, as a browser codes a microphone.
    case voice
}
