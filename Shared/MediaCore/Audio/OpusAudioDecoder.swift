import COpus
import CShim

/// Decodes Opus packets to 48 kHz Int16 PCM, with loss concealment and
/// in-band FEC recovery.
public final class OpusAudioDecoder {
    public let channels: Int32
    private let decoder: OpaquePointer
    /// Duration of the last decoded frame: concealment fills the same length.
    private var lastFrameSamples = OpusFormat.samplesPer20ms
    /// libopus writes here (120 ms is the longest frame); `output` keeps its storage
    /// between frames, so a steady stream decodes without allocating.
    private let scratch: UnsafeMutablePointer<Int16>
    private var output: [Int16] = []

    public init(channels: Int32 = 1) throws {
        guard channels == 1 || channels == 2 else { throw MediaError.opusError(OPUS_BAD_ARG) }
        var error: Int32 = OPUS_OK
        guard let decoder = opus_decoder_create(OpusFormat.sampleRate, channels, &error),
              error == OPUS_OK else {
            throw MediaError.opusError(error)
        }
        self.channels = channels
        self.decoder = decoder
        scratch = .allocate(capacity: OpusFormat.maximumFrameSamples * Int(channels))
    }

    deinit {
        opus_decoder_destroy(decoder)
        scratch.deallocate()
    }

    /// Decodes one packet from the peer; malformed packets throw.
    public func decode(_ packet: [UInt8]) throws -> [Int16] {
        guard !packet.isEmpty, packet.count <= OpusFormat.maximumPacketBytes else {
            throw MediaError.opusError(OPUS_INVALID_PACKET)
        }
        let pcm = try run(packet, frameSamples: OpusFormat.maximumFrameSamples, fec: false)
        lastFrameSamples = pcm.count / Int(channels)
        return pcm
    }

    /// Packet loss concealment for one missing frame (a NULL packet to libopus).
    public func decodeLoss() -> [Int16] {
        (try? run(nil, frameSamples: lastFrameSamples, fec: false)) ?? silence()
    }

    /// Rebuilds the lost frame from the FEC data in the packet after it;
    /// the caller then decodes `nextPacket` normally with `decode`. Falls
    /// back to concealment when the packet carries no usable FEC.
    public func decodeFec(_ nextPacket: [UInt8]) -> [Int16] {
        guard !nextPacket.isEmpty, nextPacket.count <= OpusFormat.maximumPacketBytes,
              let pcm = try? run(nextPacket, frameSamples: lastFrameSamples, fec: true) else {
            return decodeLoss()
        }
        return pcm
    }

    public func reset() {
        parley_opus_decoder_reset(decoder)
    }

    private func silence() -> [Int16] {
        [Int16](repeating: 0, count: lastFrameSamples * Int(channels))
    }

    private func run(_ packet: [UInt8]?, frameSamples: Int, fec: Bool) throws -> [Int16] {
        let frameSamples = min(frameSamples, OpusFormat.maximumFrameSamples)
        let decoded: Int32
        if let packet {
            decoded = packet.withUnsafeBufferPointer { data in
                opus_decode(decoder, data.baseAddress, Int32(data.count), scratch, Int32(frameSamples), fec ? 1 : 0)
            }
        } else {
            decoded = opus_decode(decoder, nil, 0, scratch, Int32(frameSamples), 0)
        }
        guard decoded > 0 else { throw MediaError.opusError(decoded) }
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: UnsafeBufferPointer(start: scratch, count: Int(decoded) * Int(channels)))
        return output
    }
}
