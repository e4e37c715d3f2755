/// The loss a participant reports for the stream we send it (the fraction-lost
/// field of its RTCP reception reports), kept as the percentage the Opus encoder
/// plans in-band FEC for. It rises at once with a worse report and falls halfway
/// per better one, so one clean report after a burst does not turn FEC off.
public struct DownlinkLoss: Sendable, Equatable {
    /// 0 until the first report: with no evidence of loss the encoder spends no
    /// bits (and, in SILK, about a sixth of its CPU) on FEC, as WebRTC's encoder starts.
    public private(set) var percent: Int32 = 0
    public private(set) var reports = 0

    public init() {}

    /// `fractionLost` as RFC 3550 carries it: lost packets / expected, × 256.
    public mutating func record(fractionLost: UInt8) {
        let reported = Int32((Int(fractionLost) * 100 + 255) / 256)
        percent = reported >= percent ? reported : (percent + reported) / 2
        reports += 1
    }
}
