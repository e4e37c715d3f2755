/// Chooses which participants are mixed: at most `maximum` of the loudest current
/// speakers. An incumbent keeps its place while it is still speaking unless a
/// newcomer is clearly louder, so the mix does not flap between similar voices;
/// an incumbent whose stream was silent this very tick (its smoothed loudness still
/// fading) yields to a newcomer who speaks, or the newcomer's first frames, read
/// while it waited for the slot, would never be heard.
/// Runs every tick of every room, so it works in reused arrays (no allocation once
/// the room's speakers have settled).
public struct SpeakerSelector {
    public let maximum: Int
    /// Loudness (RFC 6464 level, 0 loudest) at or under which a stream counts as speech.
    public let activeLevel: Double
    /// How much louder (in dB) a newcomer must be to displace an incumbent.
    public let displaceMargin: Double
    /// The selected participants, at most `maximum`.
    public private(set) var current: [String] = []
    private var newcomers: [(id: String, level: Double)] = []

    public init(maximum: Int = 3, activeLevel: Double = 90, displaceMargin: Double = 10) {
        self.maximum = max(1, maximum)
        self.activeLevel = activeLevel
        self.displaceMargin = displaceMargin
    }

    public var selected: Set<String> { Set(current) }

    /// Updates the selection from each candidate's current loudness; `silentNow` are
    /// those whose stream sent silence (or nothing) this tick.
    public mutating func select(loudness: [String: Double], silentNow: Set<String> = []) {
        current.removeAll { (loudness[$0] ?? 127) > activeLevel }
        newcomers.removeAll(keepingCapacity: true)
        for (id, level) in loudness where level <= activeLevel && !current.contains(id) {
            newcomers.append((id, level))
        }
        if newcomers.count > 1 { newcomers.sort { ($0.level, $0.id) < ($1.level, $1.id) } }
        for (id, level) in newcomers {
            if current.count < maximum {
                current.append(id)
            } else if let quietest = current.indices.max(by: { (loudness[current[$0]] ?? 127, current[$0]) < (loudness[current[$1]] ?? 127, current[$1]) }),
                      level + displaceMargin < (loudness[current[quietest]] ?? 127) {
                current[quietest] = id
            } else if !silentNow.contains(id), let silent = quietestIncumbent(in: silentNow, loudness: loudness) {
                current[silent] = id
            }
        }
    }

    /// The index in `current` of the quietest incumbent among `ids`, if any is.
    private func quietestIncumbent(in ids: Set<String>, loudness: [String: Double]) -> Int? {
        var quietest: Int?
        for index in current.indices where ids.contains(current[index]) {
            if let found = quietest,
               (loudness[current[found]] ?? 127, current[found]) >= (loudness[current[index]] ?? 127, current[index]) { continue }
            quietest = index
        }
        return quietest
    }

    /// `select`, returning the selection (tests).
    @discardableResult
    public mutating func update(loudness: [String: Double], silentNow: Set<String> = []) -> Set<String> {
        select(loudness: loudness, silentNow: silentNow)
        return selected
    }
}
