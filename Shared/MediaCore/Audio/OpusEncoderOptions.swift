/// Encoder settings for voice over a lossy network.
public struct OpusEncoderOptions: Equatable, Sendable {
    public var bitrate: Int32 = 32_000
    public var complexity: Int32 = 5
    /// In-band FEC lets the receiver rebuild a lost frame from the next packet.
    public var fec = true
    public var dtx = false
    /// Tells the encoder how much redundancy FEC should carry; the mixer then
    /// follows the loss its listeners report over RTCP (`DownlinkLoss`).
    public var expectedLossPercent: Int32 = 0
    public var channels: Int32 = 1
    public var modePolicy = OpusModePolicy.lossAdaptive

    public init(bitrate: Int32 = 32_000, complexity: Int32 = 5, fec: Bool = true, dtx: Bool = false,
                expectedLossPercent: Int32 = 0, channels: Int32 = 1, modePolicy: OpusModePolicy = .lossAdaptive) {
        self.bitrate = bitrate
        self.complexity = complexity
        self.fec = fec
        self.dtx = dtx
        self.expectedLossPercent = expectedLossPercent
        self.channels = channels
        self.modePolicy = modePolicy
    }
}
