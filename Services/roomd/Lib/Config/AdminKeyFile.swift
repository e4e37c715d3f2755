import Foundation

/// The generated admin key: 32 random bytes as hex in a 0600 file, reused on later starts.
public enum AdminKeyFile {
    public struct Loaded: Sendable {
        public var key: String
        /// True when this start created the file.
        public var generated: Bool
    }

    public static func loadOrCreate(at path: String) throws -> Loaded {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            let key = existing.trimmingCharacters(in: .whitespacesAndNewlines)
            if !key.isEmpty { return Loaded(key: key, generated: false) }
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let key = SecureRandom.bytes(32).map { String(format: "%02x", $0) }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let line = Array((key + "\n").utf8)
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        return Loaded(key: key, generated: true)
    }
}
