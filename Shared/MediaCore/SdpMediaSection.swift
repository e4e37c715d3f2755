/// One `m=` section with the lines that follow it until the next `m=`.
public struct SdpMediaSection: Hashable, Sendable {
    /// "audio", "video", "application", ...
    public var media: String
    public var port: UInt16
    public var proto: String
    /// Payload types / format tokens in preference order.
    public var formats: [String]
    /// `c=` value, if present at media level.
    public var connection: String?
    /// `a=` lines in their original order.
    public var attributes: [SdpAttribute] = []

    /// Parses the value of an `m=` line: `<media> <port>[/<count>] <proto> <fmt> ...`.
    init(mediaLine: Substring) throws {
        let tokens = mediaLine.split(separator: " ", omittingEmptySubsequences: true)
        guard tokens.count >= 3 else { throw MediaError.sdpMalformed("m= line needs media, port and proto") }
        guard let portToken = tokens[1].split(separator: "/").first, let port = UInt16(portToken) else {
            throw MediaError.sdpMalformed("m= line port")
        }
        media = String(tokens[0])
        self.port = port
        proto = String(tokens[2])
        formats = tokens.dropFirst(3).map(String.init)
    }

    public init(media: String, port: UInt16, proto: String, formats: [String]) {
        self.media = media
        self.port = port
        self.proto = proto
        self.formats = formats
    }
}
