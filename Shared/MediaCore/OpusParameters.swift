/// The Opus `a=fmtp` parameters we act on (RFC 7587 §7), keeping the raw string.
public struct OpusParameters: Hashable, Sendable {
    public var fmtp: String?
    public var useInbandFec = false
    public var useDtx = false
    public var stereo = false

    public init(fmtp: String?) {
        self.fmtp = fmtp
        for pair in (fmtp ?? "").split(separator: ";") {
            let keyValue = pair.split(separator: "=", maxSplits: 1)
            guard keyValue.count == 2 else { continue }
            let key = keyValue[0].trimmingSpaces.lowercased()
            let enabled = keyValue[1].trimmingSpaces == "1"
            switch key {
            case "useinbandfec": useInbandFec = enabled
            case "usedtx": useDtx = enabled
            case "stereo": stereo = enabled
            default: break
            }
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return text
    }
}
