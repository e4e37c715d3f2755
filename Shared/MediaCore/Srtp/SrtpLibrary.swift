import CSRTP

/// libsrtp wants `srtp_init()` once per process before any session.
enum SrtpLibrary {
    /// A static stored property is initialised once, atomically, on first access.
    private static let initStatus: srtp_err_status_t = srtp_init()

    static func ensureInitialised() throws {
        guard initStatus == srtp_err_status_ok else {
            throw MediaError.srtpError(Int32(initStatus.rawValue))
        }
    }
}
