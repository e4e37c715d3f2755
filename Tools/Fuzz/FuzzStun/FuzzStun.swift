import FuzzSupport
import MediaCore

/// libFuzzer entry: STUN parsing and every attribute decoder the ICE agent uses.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = PacketDemux.classify(bytes)
    _ = StunFingerprint.verify(bytes)
    _ = StunMessageIntegrity.verify(bytes, key: Array("fuzz-password-fuzz-pass".utf8))
    guard let message = try? StunMessage(parsing: bytes) else { return 0 }
    _ = message.attribute(StunUsername.self)
    _ = message.attribute(StunXorMappedAddress.self)
    _ = message.attribute(StunPriority.self)
    _ = message.attribute(StunIceControlling.self)
    _ = message.attribute(StunIceControlled.self)
    _ = message.attribute(StunErrorCode.self)
    _ = message.attribute(StunMessageIntegrity.self)
    _ = message.attribute(StunFingerprint.self)
    // What parsed must serialize and parse back to the same message.
    let again = try? StunMessage(parsing: message.serialize())
    precondition(again == message, "STUN round trip changed the message")
    return 0
}

@main struct FuzzStunMain { static func main() { FuzzReplay.main(fuzz) } }
