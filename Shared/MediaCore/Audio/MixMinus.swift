/// Mix-minus for one 20 ms tick of a room: every listener hears everyone
/// else, never itself.
///
/// The sum is accumulated once in Int32; a contributor's mix is the sum minus
/// its own frame. Listeners who contributed nothing all hear the full sum, so
/// they share one frame (`MixSource.everyone`) and the caller encodes it once.
public enum MixMinus {
    public static let frameSamples = 960

    /// - Parameters:
    ///   - frames: decoded mono frames by participant; missing samples count
    ///     as silence and extra samples are ignored.
    ///   - muted: participants whose frames are left out entirely.
    public static func mix<ID: Hashable>(_ frames: [ID: [Int16]], muted: Set<ID> = [],
                                         frameSamples: Int = frameSamples) -> MixMinusResult<ID> {
        let contributions = frames.filter { !muted.contains($0.key) }
        var total: [Int32] = []
        sum(contributions.values, into: &total, frameSamples: frameSamples)
        var personal: [ID: [Int16]] = [:]
        for (id, frame) in contributions {
            var own: [Int16] = []
            limit(total, minus: frame, into: &own)
            personal[id] = own
        }
        var everyone: [Int16] = []
        limit(total, minus: nil, into: &everyone)
        return MixMinusResult(everyone: everyone, personal: personal)
    }

    /// Sums the frames in Int32 into `total`, whose storage is reused (the mixer's
    /// allocation-free path).
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

/// Which mix a listener receives; equal sources mean identical samples.
public enum MixSource<ID: Hashable>: Hashable {
    /// The whole room, shared by everyone who did not contribute this tick.
    case everyone
    /// The room minus this contributor.
    case allBut(ID)
}

public struct MixMinusResult<ID: Hashable> {
    /// The full mix, for listeners who contributed nothing.
    public let everyone: [Int16]
    /// The mix minus own voice, for each contributor.
    public let personal: [ID: [Int16]]

    public func source(for listener: ID) -> MixSource<ID> {
        personal[listener] == nil ? .everyone : .allBut(listener)
    }

    public func frame(for listener: ID) -> [Int16] {
        personal[listener] ?? everyone
    }
}
