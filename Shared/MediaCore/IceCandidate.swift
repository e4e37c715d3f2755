/// An ICE candidate attribute (RFC 8839 §5.1):
/// `candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [ext...]`.
public struct IceCandidate: Hashable, Sendable {
    public var foundation: String
    public var component: Int
    /// Lower-cased: "udp" or "tcp" (Firefox writes "UDP").
    public var transport: String
    public var priority: UInt32
    /// IP address, or an mDNS ".local" name we cannot resolve here.
    public var address: String
    public var port: UInt16
    /// "host", "srflx", "prflx" or "relay".
    public var type: String

    public var isUdp: Bool { transport == "udp" }

    /// Nil for names (mDNS) that are not literal IPs.
    public var transportAddress: TransportAddress? { TransportAddress(ip: address, port: port) }

    public init(foundation: String, component: Int, transport: String, priority: UInt32,
                address: String, port: UInt16, type: String) {
        self.foundation = foundation
        self.component = component
        self.transport = transport.lowercased()
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
    }

    /// Accepts `a=candidate:...`, `candidate:...` (trickled) or the bare value.
    public init(parsing text: String) throws {
        var body = Substring(text).trimmingSpaces
        if body.hasSuffix("\r") { body = body.dropLast() }
        if body.hasPrefix("a=") { body = body.dropFirst(2) }
        if body.hasPrefix("candidate:") { body = body.dropFirst("candidate:".count) }
        let fields = body.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 8, fields[6] == "typ",
              let component = Int(fields[1]), (1...256).contains(component),
              let priority = UInt32(fields[3]), let port = UInt16(fields[5]) else {
            throw MediaError.sdpMalformed("candidate")
        }
        self.init(foundation: String(fields[0]), component: component, transport: String(fields[2]),
                  priority: priority, address: String(fields[4]), port: port, type: String(fields[7]))
    }

    /// For trickled candidates: nil for end-of-candidates (""), TCP, or unparsable strings.
    public static func parseTrickled(_ text: String) -> IceCandidate? {
        guard let candidate = try? IceCandidate(parsing: text), candidate.isUdp else { return nil }
        return candidate
    }

    /// The value after `a=` (without the `a=` prefix).
    public var attributeValue: String {
        "candidate:\(foundation) \(component) \(transport) \(priority) \(address) \(port) typ \(type)"
    }
}
