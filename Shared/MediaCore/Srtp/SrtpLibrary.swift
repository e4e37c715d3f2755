import CNSS
import CSRTP

/// libsrtp wants `srtp_init()` once per process before any session.
///
/// Debian builds libsrtp2 on NSS, which libsrtp starts with `NSS_NoDB_Init`: that
/// asks NSS to optimise for space, i.e. 32-bucket tables for its sessions and key
/// objects. Every SRTP context holds a key object, and every packet looks its key
/// and session up by walking those chains, so the cost of a packet grew with the
/// number of participants (2.1 µs per protect alone, 6.7 µs with 2,000 contexts
/// live). Initialising NSS first, the same way minus `NSS_INIT_OPTIMIZESPACE`,
/// gives it 1,024-bucket tables; libsrtp then finds NSS initialised and keeps it.
enum SrtpLibrary {
    /// A static stored property is initialised once, atomically, on first access.
    private static let initStatus: srtp_err_status_t = {
        if NSS_IsInitialized() == 0 {
            let flags = UInt32(NSS_INIT_READONLY | NSS_INIT_NOCERTDB | NSS_INIT_NOMODDB | NSS_INIT_FORCEOPEN | NSS_INIT_NOROOTINIT)
            // On failure libsrtp still initialises NSS its own way: slower, not broken.
            _ = NSS_Initialize("", "", "", "", flags)
        }
        return srtp_init()
    }()

    static func ensureInitialised() throws {
        guard initStatus == srtp_err_status_ok else {
            throw MediaError.srtpError(Int32(initStatus.rawValue))
        }
    }
}
