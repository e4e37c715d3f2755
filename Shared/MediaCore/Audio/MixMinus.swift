/// Mix-minus for one 20 ms tick of a room: every listener hears everyone
/// else, never itself.
///
/// The room's voices are summed once in Int32; a contributor's mix is the sum
/// minus its own frame, and everyone who contributed nothing hears the whole sum
/// (one shared frame, encoded once). Both work in buffers the caller keeps, so a
/// room's steady state allocates nothing.
public enum MixMinus {
    public static let frameSamples = 960

    /// Sums decoded mono frames into `total` (its storage reused); missing samples
    /// count as silence and extra samples are ignored.
    public static func sum<Frames: Sequence>(_ frames: Frames, into total: inout [Int32],
                                             frameSamples: Int = frameSamples) where Frames.Element == [Int16] {
        total.removeAll(keepingCapacity: true)
        total.append(contentsOf: repeatElement(0, count: frameSamples))
        for frame in frames {
            for index in 0..<min(frameSamples, frame.count) {
                total[index] += Int32(frame[index])
            }
        }
    }

    /// The sum minus `own` (nil: the whole room), soft-limited into `out` (storage reused).
    public static func limit(_ total: [Int32], minus own: [Int16]?, into out: inout [Int16]) {
        out.removeAll(keepingCapacity: true)
        for index in total.indices {
            let ownSample = own.map { index < $0.count ? Int32($0[index]) : 0 } ?? 0
            out.append(SoftLimiter.limit(total[index] - ownSample))
        }
    }
}
