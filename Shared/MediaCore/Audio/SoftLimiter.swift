import Foundation

/// Maps a 32-bit sum of Int16 signals onto Int16 without wrapping or hard
/// clipping: linear below the knee (about -3 dBFS), then a tanh curve that
/// leaves the knee with slope 1 and approaches full scale without reaching
/// past it. Stateless, so listeners hearing the same sum get identical samples.
public enum SoftLimiter {
    /// -3 dBFS.
    public static let knee: Int32 = 23_197
    static let ceiling = Double(Int16.max)

    public static func limit(_ sample: Int32) -> Int16 {
        let magnitude = sample.magnitude
        guard magnitude > UInt32(knee) else { return Int16(sample) }
        let headroom = ceiling - Double(knee)
        let over = Double(magnitude) - Double(knee)
        let shaped = Double(knee) + headroom * tanh(over / headroom)
        let clamped = Int16(min(ceiling, shaped.rounded(.down)))
        return sample < 0 ? -clamped : clamped
    }
}
