/// RTCP SDES (RFC 3550 §6.5): per-SSRC chunks of typed text items.
public struct SourceDescription: Hashable, Sendable {
    public static let cnameItem: UInt8 = 1

    public struct Chunk: Hashable, Sendable {
        public var ssrc: UInt32
        public var items: [Item]

        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }
    }

    public struct Item: Hashable, Sendable {
        public var type: UInt8
        public var value: [UInt8]

        public init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = Array(value.prefix(255))
        }
    }

    public var chunks: [Chunk]

    public init(chunks: [Chunk]) { self.chunks = Array(chunks.prefix(31)) }

    /// The common case: one chunk carrying a CNAME.
    public init(ssrc: UInt32, cname: String) {
        self.init(chunks: [Chunk(ssrc: ssrc, items: [Item(type: Self.cnameItem, value: Array(cname.utf8))])])
    }

    public func cname(for ssrc: UInt32) -> String? {
        guard let item = chunks.first(where: { $0.ssrc == ssrc })?.items.first(where: { $0.type == Self.cnameItem }) else {
            return nil
        }
        return String(decoding: item.value, as: UTF8.self)
    }

    init(count: UInt8, body: [UInt8]) throws {
        var reader = ByteReader(body)
        var chunks: [Chunk] = []
        for _ in 0..<Int(count) {
            guard let ssrc = reader.readUInt32() else { throw MediaError.truncatedPacket }
            var items: [Item] = []
            // Items end with a zero type byte, then padding to the next word.
            while true {
                guard let type = reader.readUInt8() else { throw MediaError.truncatedPacket }
                if type == 0 { break }
                guard let length = reader.readUInt8(), let value = reader.readBytes(Int(length)) else {
                    throw MediaError.truncatedPacket
                }
                items.append(Item(type: type, value: value))
            }
            _ = reader.skip((4 - reader.offset % 4) % 4)
            chunks.append(Chunk(ssrc: ssrc, items: items))
        }
        self.init(chunks: chunks)
    }

    public func serialize() -> [UInt8] {
        var body: [UInt8] = []
        for chunk in chunks {
            body.appendUInt32(chunk.ssrc)
            for item in chunk.items {
                body += [item.type, UInt8(item.value.count)] + item.value
            }
            // At least one zero byte ends the item list; pad the chunk to a word.
            body.append(0)
            body += [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        }
        return RtcpHeader.frame(count: chunks.count, packetType: RtcpHeader.sourceDescription, body: body)
    }
}
