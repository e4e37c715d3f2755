import XCTest
@testable import MediaCore

final class MediaErrorTests: XCTestCase {
    func testCodesAreSnakeCaseAndDistinct() {
        let all: [MediaError] = [
            .malformedPacket("x"), .truncatedPacket, .unsupportedVersion(1),
            .stunIntegrityFailed, .stunFingerprintFailed, .stunUsernameMismatch,
            .stunTransactionMismatch, .sdpMalformed("x"), .sdpMissingField("x"), .sdpNoAudio,
            .invalidAddress("x"), .dtlsHandshakeFailed("x"), .fingerprintMismatch,
            .srtpError(1), .opusError(1), .certificateError("x"),
        ]
        let codes = all.map(\.code)
        XCTAssertEqual(Set(codes).count, codes.count)
        for code in codes {
            XCTAssertTrue(code.allSatisfy { $0 == "_" || ("a"..."z").contains($0) }, code)
        }
        XCTAssertEqual(MediaError.sdpNoAudio.code, "no_usable_audio")
    }
}
