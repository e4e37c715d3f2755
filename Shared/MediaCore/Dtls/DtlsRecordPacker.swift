/// Splits the byte stream OpenSSL writes into a memory BIO back into DTLS
/// records and packs whole records into datagrams no larger than the MTU.
///
/// A memory BIO keeps no datagram boundaries; DTLS records are
/// self-delimiting (13-byte header with a 16-bit length), so they can be
/// recovered and re-packed. OpenSSL already sizes each record for the MTU.
enum DtlsRecordPacker {
    static let headerLength = 13

    /// The records in `stream`; a truncated trailing record is dropped.
    static func records(in stream: [UInt8]) -> [ArraySlice<UInt8>] {
        var records: [ArraySlice<UInt8>] = []
        var offset = 0
        while stream.count - offset >= headerLength {
            let length = Int(stream[offset + 11]) << 8 | Int(stream[offset + 12])
            let end = offset + headerLength + length
            guard end <= stream.count else { break }
            records.append(stream[offset..<end])
            offset = end
        }
        return records
    }

    /// Records packed greedily, in order, into datagrams of at most `mtu` bytes.
    static func datagrams(from stream: [UInt8], mtu: Int) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var current: [UInt8] = []
        for record in records(in: stream) {
            if !current.isEmpty && current.count + record.count > mtu {
                datagrams.append(current)
                current = []
            }
            current.append(contentsOf: record)
        }
        if !current.isEmpty { datagrams.append(current) }
        return datagrams
    }
}
