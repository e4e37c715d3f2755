/// `host:port` or `host:first-last` (a range: bind the first free port). IPv6 hosts
/// are written in brackets: `[::1]:8080`.
public struct ListenAddress: Equatable, Sendable, CustomStringConvertible {
    public var host: String
    public var ports: ClosedRange<Int>

    public init(host: String, port: Int) {
        self.host = host
        self.ports = port...port
    }

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let portText = text[text.index(after: colon)...]
        let bounds = portText.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard !host.isEmpty, (1...2).contains(bounds.count), let first = bounds.first ?? nil, let last = bounds.last ?? nil,
              (0...65535).contains(first), (first...65535).contains(last) else { return nil }
        self.host = host
        self.ports = first...last
    }

    public var port: Int { ports.lowerBound }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return ports.count == 1 ? "\(shownHost):\(port)" : "\(shownHost):\(ports.lowerBound)-\(ports.upperBound)"
    }
}
