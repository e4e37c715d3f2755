import FuzzSupport
import MediaCore

/// libFuzzer entry: the SDP parser and the audio-offer reading signald hands to mediad.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? IceCandidate(parsing: text)
    _ = IceCandidate.parseTrickled(text)
    guard let sdp = try? SessionDescription(parsing: text) else { return 0 }
    _ = try? AudioOffer(sdp)
    return 0
}

@main struct FuzzSdpMain { static func main() { FuzzReplay.main(fuzz) } }
