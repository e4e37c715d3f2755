import Foundation
import NIOCore
import NIOPosix

/// File-system chores around the Unix socket.
enum WireSocketFile {
    /// Creates the socket directory with mode 0700 when missing.
    static func prepareDirectory(for socketPath: String) throws {
        let directory = (socketPath as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    /// Removes a socket file nobody answers on; refuses when a live process does.
    static func removeIfStale(_ socketPath: String, group: EventLoopGroup) async throws {
        guard FileManager.default.fileExists(atPath: socketPath) else { return }
        let probe = try? await ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(500))
            .connect(unixDomainSocketPath: socketPath)
            .get()
        if let probe {
            try? await probe.close()
            throw WireError.addressInUse(socketPath)
        }
        unlink(socketPath)
    }
}
