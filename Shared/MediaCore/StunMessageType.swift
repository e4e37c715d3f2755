/// STUN message class (RFC 8489 §5): two bits spread through the type field.
public enum StunClass: UInt16, Sendable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}

/// STUN message type: a 12-bit method interleaved with the 2-bit class.
public struct StunMessageType: Hashable, Sendable {
    public static let bindingMethod: UInt16 = 0x001

    public var method: UInt16
    public var messageClass: StunClass

    public init(method: UInt16, messageClass: StunClass) {
        self.method = method & 0x0FFF
        self.messageClass = messageClass
    }

    public static let bindingRequest = StunMessageType(method: bindingMethod, messageClass: .request)
    public static let bindingSuccess = StunMessageType(method: bindingMethod, messageClass: .successResponse)
    public static let bindingError = StunMessageType(method: bindingMethod, messageClass: .errorResponse)
    public static let bindingIndication = StunMessageType(method: bindingMethod, messageClass: .indication)

    /// Layout M11..M7 C1 M6..M4 C0 M3..M0 (the top two bits stay zero).
    public var rawValue: UInt16 {
        let m = method
        let c = messageClass.rawValue
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7)
    }

    public init(rawValue: UInt16) {
        let method = (rawValue & 0x000F) | ((rawValue >> 1) & 0x0070) | ((rawValue >> 2) & 0x0F80)
        let classBits = ((rawValue >> 4) & 1) | ((rawValue >> 7) & 2)
        self.init(method: method, messageClass: StunClass(rawValue: classBits) ?? .request)
    }
}
