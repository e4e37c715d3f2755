/// Where each service's Unix socket lives inside `VOICE_SOCKET_DIR`.
public enum WireSocketPaths {
    public static func roomd(in directory: String) -> String {
        join(directory, "roomd.sock")
    }

    public static func mediad(id: String, in directory: String) -> String {
        join(directory, "mediad-\(id).sock")
    }

    static func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}
