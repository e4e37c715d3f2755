import Foundation

/// Reads configuration from the environment; command-line flags override it in the mains.
public enum Environment {
    public static func string(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    public static func string(_ name: String, default fallback: String) -> String {
        string(name) ?? fallback
    }

    public static func int(_ name: String, default fallback: Int) -> Int {
        string(name).flatMap(Int.init) ?? fallback
    }

    public static var socketDirectory: String { string("VOICE_SOCKET_DIR", default: "./run") }
    public static var logLevel: String { string("VOICE_LOG_LEVEL", default: "info") }
}
