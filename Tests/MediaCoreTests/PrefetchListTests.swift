import XCTest
@testable import MediaCore

/// The fan-out prefetches each listener's send path from a list the session keeps:
/// it must hold the objects a packet's protection touches, in order, and no more
/// than fit inline.
final class PrefetchListTests: XCTestCase {
    private let key = (0..<16).map { UInt8(0x30 + $0) }
    private let salt = (0..<12).map { UInt8(0xC0 - $0) }

    func testKeepsTheFirstEightAddressesInOrder() {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 64 * 10, alignment: 64)
        defer { storage.deallocate() }
        let addresses = (0..<10).map { UnsafeRawPointer(storage + 64 * $0) }
        let list = PrefetchList(addresses)
        XCTAssertEqual(list.count, PrefetchList.capacity)
        XCTAssertEqual(list.addresses, Array(addresses.prefix(PrefetchList.capacity)))
        list.prefetch()
        XCTAssertEqual(PrefetchList().addresses, [])
        XCTAssertEqual(PrefetchList(Array(addresses.prefix(3))).addresses, Array(addresses.prefix(3)))
    }

    func testAGcmContextListsItselfItsCipherAndOpenSslsContext() throws {
        let context = try SrtpContext(profile: .aeadAes128Gcm, key: key, salt: salt, direction: .outbound)
        let memory = context.hotMemory
        XCTAssertEqual(memory.first, UnsafeRawPointer(Unmanaged.passUnretained(context).toOpaque()))
        // The context, the cipher, its stream table, the GCM context, its nonce line, OpenSSL's context.
        XCTAssertEqual(memory.count, 6)
        XCTAssertEqual(Set(memory).count, memory.count, "each address once")
        XCTAssertLessThanOrEqual(memory.count + 1, PrefetchList.capacity, "the transport's own object fits too")
    }

    func testALibsrtpContextListsItselfAndItsSession() throws {
        let context = try SrtpContext(profile: .aes128CmSha1_80, key: key, salt: (0..<14).map { UInt8($0) }, direction: .outbound)
        XCTAssertEqual(context.hotMemory.count, 2)
    }
}
