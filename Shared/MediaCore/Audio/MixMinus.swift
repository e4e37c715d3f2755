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
        var total = [Int32](repeating: 0, count: frameSamples)
        for frame in contributions.values {
            for index in 0..<min(frameSamples, frame.count) {
                total[index] += Int32(frame[index])
            }
        }
        var personal: [ID: [Int16]] = [:]
        for (id, frame) in contributions {
            var own = total
            for index in 0..<min(frameSamples, frame.count) {
                own[index] -= Int32(frame[index])
            }
            personal[id] = SoftLimiter.limit(own)
        }
        return MixMinusResult(everyone: SoftLimiter.limit(total), personal: personal)
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
