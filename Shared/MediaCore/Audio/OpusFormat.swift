/// Constants shared by the Opus encoder and decoder.
public enum OpusFormat {
    public static let sampleRate: Int32 = 48_000
    /// 20 ms at 48 kHz, the frame every WebRTC Opus stream uses by default.
    public static let samplesPer20ms = 960
    /// The longest Opus packet duration: 120 ms.
    static let maximumFrameSamples = 5_760
    /// RFC 6716 §3.4: a single frame is at most 1275 bytes; a packet of
    /// several frames is bounded here by what fits one UDP datagram.
    static let maximumPacketBytes = 1_500
    /// The frame sizes opus_encode accepts at 48 kHz (2.5 … 60 ms).
    static let encodableFrameSamples: Set<Int> = [120, 240, 480, 960, 1_920, 2_880]
}
