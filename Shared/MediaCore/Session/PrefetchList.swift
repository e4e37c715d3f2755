import CShim

/// Up to eight addresses to ask the CPU to load ahead of use, kept inline (one
/// cache line of pointers) so reading the list costs no miss of its own. A
/// listener's send path spans several objects (SRTP context, cipher, OpenSSL's
/// context), each in a line of its own that a town hall's fan-out finds cold.
struct PrefetchList {
    static let capacity = 8
    /// Lines loaded from each address: the part of each object a packet touches.
    static let linesEach: UInt32 = 2

    private var pointers: (UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?,
                           UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?)
        = (nil, nil, nil, nil, nil, nil, nil, nil)
    private(set) var count = 0

    init() {}

    /// The first `capacity` of `addresses`; the rest are left out.
    init(_ addresses: [UnsafeRawPointer]) {
        count = min(addresses.count, Self.capacity)
        withUnsafeMutableBytes(of: &pointers) { raw in
            let slots = raw.bindMemory(to: UnsafeRawPointer?.self)
            for index in 0..<count { slots[index] = addresses[index] }
        }
    }

    /// The addresses kept (tests).
    var addresses: [UnsafeRawPointer] {
        withUnsafeBytes(of: pointers) { raw in (0..<count).compactMap { Self.slot($0, in: raw) } }
    }

    func prefetch() {
        withUnsafeBytes(of: pointers) { raw in
            for index in 0..<count {
                if let address = Self.slot(index, in: raw) { parley_prefetch(address, Self.linesEach) }
            }
        }
    }

    private static func slot(_ index: Int, in raw: UnsafeRawBufferPointer) -> UnsafeRawPointer? {
        raw.load(fromByteOffset: index * MemoryLayout<UnsafeRawPointer?>.stride, as: UnsafeRawPointer?.self)
    }
}

extension UnsafeRawPointer {
    /// Where `object` lives, not retained: for prefetching, never for reaching it again.
    init(addressOf object: AnyObject) {
        self.init(Unmanaged.passUnretained(object).toOpaque())
    }
}
