/// Chooses which participants are mixed: at most `maximum` of the loudest current
/// speakers. An incumbent keeps its place while it is still speaking unless a
/// newcomer is clearly louder, so the mix does not flap between similar voices.
public struct SpeakerSelector {
    public let maximum: Int
    /// Loudness (RFC 6464 level, 0 loudest) at or under which a stream counts as speech.
    public let activeLevel: Double
    /// How much louder (in dB) a newcomer must be to displace an incumbent.
    public let displaceMargin: Double
    public private(set) var selected: Set<String> = []

    public init(maximum: Int = 3, activeLevel: Double = 90, displaceMargin: Double = 10) {
        self.maximum = max(1, maximum)
        self.activeLevel = activeLevel
        self.displaceMargin = displaceMargin
    }

    /// Updates the selection from each candidate's current loudness.
    @discardableResult
    public mutating func update(loudness: [String: Double]) -> Set<String> {
        let active = loudness.filter { $0.value <= activeLevel }
        var next = selected.filter { active[$0] != nil }
        let newcomers = active.filter { !next.contains($0.key) }.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        for (id, level) in newcomers {
            if next.count < maximum {
                next.insert(id)
            } else if let quietest = next.max(by: { (active[$0] ?? 127, $0) < (active[$1] ?? 127, $1) }),
                      level + displaceMargin < (active[quietest] ?? 127) {
                next.remove(quietest)
                next.insert(id)
            }
        }
        selected = next
        return next
    }
}
