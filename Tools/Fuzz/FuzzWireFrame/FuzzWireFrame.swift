import FuzzSupport
import Foundation
import NIOCore
import NIOEmbedded
@testable import Wire

/// libFuzzer entry: Wire's length-prefixed frame decoder fed the input in two
/// chunks, then the envelope header and a few message bodies of every frame.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireFrameDecoder(maxFrameSize: 4096)))
    defer { _ = try? channel.finish() }
    let split = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    for part in [bytes[0..<split], bytes[split..<size]] {
        var buffer = channel.allocator.buffer(capacity: part.count)
        buffer.writeBytes(part)
        do { try channel.writeInbound(buffer) } catch { return 0 }
        while let frame = try? channel.readInbound(as: ByteBuffer.self) {
            let json = Data(frame.readableBytesView)
            guard (try? WireCoding.header(of: json)) != nil else { continue }
            _ = try? WireCoding.body(CreateMediaSession.self, of: json)
            _ = try? WireCoding.body(SyncPresence.self, of: json)
            _ = try? WireCoding.body(MediaServerHeartbeat.self, of: json)
        }
    }
    return 0
}

@main struct FuzzWireFrameMain { static func main() { FuzzReplay.main(fuzz) } }
