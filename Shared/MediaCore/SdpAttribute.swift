/// One `a=` line: `a=name` (flag) or `a=name:value`.
public struct SdpAttribute: Hashable, Sendable {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    init(line: Substring) {
        if let colon = line.firstIndex(of: ":") {
            name = String(line[..<colon])
            value = String(line[line.index(after: colon)...])
        } else {
            name = String(line)
            value = nil
        }
    }
}

/// Lookup helpers shared by the session level and media sections.
extension Array where Element == SdpAttribute {
    /// Value of the first attribute with this name (case-sensitive, as RFC 8866 defines names).
    public func first(_ name: String) -> String? {
        first { $0.name == name }?.value
    }

    public func all(_ name: String) -> [String] {
        filter { $0.name == name }.compactMap(\.value)
    }

    public func has(_ name: String) -> Bool {
        contains { $0.name == name }
    }
}
