import COpenSSL
import Crypto
import XCTest
@testable import MediaCore

final class DtlsCertificateTests: XCTestCase {
    func testFingerprintIsUppercaseColonSeparatedSha256OfDer() throws {
        let certificate = try DtlsCertificate()
        let parts = certificate.fingerprint.split(separator: ":")
        XCTAssertEqual(parts.count, 32)
        XCTAssertTrue(parts.allSatisfy { $0.count == 2 && $0 == $0.uppercased() })
        let expected = SHA256.hash(data: certificate.der).map { String(format: "%02X", $0) }
        XCTAssertEqual(parts.map(String.init), expected)
    }

    func testDerParsesAsSelfSignedP256Certificate() throws {
        let certificate = try DtlsCertificate(commonName: "unit-test")
        let parsed = try XCTUnwrap(certificate.der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        })
        defer { X509_free(parsed) }
        let key = try XCTUnwrap(X509_get0_pubkey(parsed))
        XCTAssertEqual(EVP_PKEY_get_base_id(key), EVP_PKEY_EC)
        XCTAssertEqual(EVP_PKEY_get_bits(key), 256)
        XCTAssertEqual(X509_verify(parsed, key), 1, "self-signature must verify")
        var name = [CChar](repeating: 0, count: 64)
        X509_NAME_get_text_by_NID(X509_get_subject_name(parsed), NID_commonName, &name, 64)
        XCTAssertEqual(String(cString: name), "unit-test")
        XCTAssertLessThan(X509_cmp_current_time(X509_getm_notBefore(parsed)), 0)
        XCTAssertGreaterThan(X509_cmp_current_time(X509_getm_notAfter(parsed)), 0)
    }

    func testSharedCertificateIsGeneratedOnceAcrossThreads() {
        var fingerprints = [String](repeating: "", count: 8)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let fingerprint = DtlsCertificate.shared.fingerprint
            lock.lock()
            fingerprints[index] = fingerprint
            lock.unlock()
        }
        XCTAssertEqual(Set(fingerprints).count, 1)
        XCTAssertFalse(fingerprints[0].isEmpty)
    }

    func testEachNewCertificateHasItsOwnKeyAndFingerprint() throws {
        XCTAssertNotEqual(try DtlsCertificate().fingerprint, try DtlsCertificate().fingerprint)
    }

    func testFingerprintAlgorithms() {
        let der: [UInt8] = [1, 2, 3]
        XCTAssertEqual(DtlsCertificate.fingerprint(of: der, algorithm: "SHA-384")?.count, 48 * 3 - 1)
        XCTAssertEqual(DtlsCertificate.fingerprint(of: der, algorithm: "sha-512")?.count, 64 * 3 - 1)
        XCTAssertNil(DtlsCertificate.fingerprint(of: der, algorithm: "sha-1"))
    }
}
