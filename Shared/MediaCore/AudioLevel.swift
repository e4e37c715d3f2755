/// RFC 6464 client-to-mixer audio level: V (voice activity) bit and the level
/// in -dBov, 0 (loudest) to 127 (silence).
public struct AudioLevel: Hashable, Sendable {
    public var voiceActivity: Bool
    /// 0...127, in -dBov.
    public var level: UInt8

    public init(voiceActivity: Bool, level: UInt8) {
        self.voiceActivity = voiceActivity
        self.level = min(level, 127)
    }

    /// From the extension element's data (one byte; extra bytes are padding).
    public init?(extensionData: [UInt8]) {
        guard let byte = extensionData.first else { return nil }
        self.init(voiceActivity: byte & 0x80 != 0, level: byte & 0x7F)
    }

    /// The element's one data byte: V bit and level.
    public var byte: UInt8 { (voiceActivity ? 0x80 : 0) | (level & 0x7F) }

    public var extensionData: [UInt8] { [byte] }

    public func element(id: UInt8) -> RtpExtensionElement {
        RtpExtensionElement(id: id, data: extensionData)
    }
}
