/// A parsed SDP body (RFC 8866): session-level fields and attributes, then media
/// sections. Line order of attributes is preserved; CRLF or LF line endings.
public struct SessionDescription: Hashable, Sendable {
    public var version = 0
    public var origin: String = ""
    public var sessionName: String = ""
    public var timing: String?
    public var connection: String?
    public var attributes: [SdpAttribute] = []
    public var mediaSections: [SdpMediaSection] = []

    /// Bounds what a peer can make us hold.
    static let maxBytes = 64 * 1024

    public init(parsing text: String) throws {
        guard text.utf8.count <= Self.maxBytes else { throw MediaError.sdpMalformed("too large") }
        var sawVersion = false
        // "\r\n" is a single Character in Swift, so it is matched as a separator of its own.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (index, line) in lines.enumerated() {
            if line.isEmpty { continue }
            guard line.count >= 2, let type = line.first, type.isASCII, type.isLetter,
                  line[line.index(after: line.startIndex)] == "=" else {
                throw MediaError.sdpMalformed("line \(index + 1) is not <type>=<value>")
            }
            let value = line.dropFirst(2)
            if !sawVersion {
                guard type == "v", value == "0" else { throw MediaError.sdpMalformed("must start with v=0") }
                sawVersion = true
                continue
            }
            try apply(type: type, value: value)
        }
        guard sawVersion else { throw MediaError.sdpMalformed("empty") }
        guard !origin.isEmpty else { throw MediaError.sdpMissingField("o") }
    }

    private mutating func apply(type: Character, value: Substring) throws {
        if type == "m" {
            mediaSections.append(try SdpMediaSection(mediaLine: value))
            return
        }
        let inMedia = !mediaSections.isEmpty
        switch type {
        case "a":
            if inMedia {
                mediaSections[mediaSections.count - 1].attributes.append(SdpAttribute(line: value))
            } else {
                attributes.append(SdpAttribute(line: value))
            }
        case "c":
            if inMedia { mediaSections[mediaSections.count - 1].connection = String(value) } else { connection = String(value) }
        case "o" where !inMedia: origin = String(value)
        case "s" where !inMedia: sessionName = String(value)
        case "t" where !inMedia: timing = String(value)
        default:
            break // b=, i=, k=, r=, z=... are valid but unused here.
        }
    }
}
