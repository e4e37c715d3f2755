import FuzzSupport
import MediaCore

/// libFuzzer entry: RTP (header, CSRCs, extensions, padding, RFC 6464 level) and RTCP compounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = PacketDemux.classify(bytes)
    if let packet = try? RtpPacket(parsing: bytes) {
        for id in [UInt8(1), 3, 14, 15] { _ = packet.audioLevel(extensionId: id) }
        let again = try? RtpPacket(parsing: packet.serialize())
        precondition(again != nil, "a parsed RTP packet must serialize to something parseable")
    }
    if let packets = try? RtcpCompound.parse(bytes) {
        _ = try? RtcpCompound.parse(RtcpCompound.serialize(packets))
    }
    return 0
}

@main struct FuzzRtpMain { static func main() { FuzzReplay.main(fuzz) } }
