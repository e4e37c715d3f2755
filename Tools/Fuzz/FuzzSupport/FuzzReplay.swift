import CFuzzDriver
import Foundation

/// The `main` of every fuzz target. Linked with libFuzzer (`make fuzz`:
/// `-sanitize=fuzzer,address`) it runs libFuzzer's driver with the command line;
/// in a plain `swift build` it replays every file (or every file in every
/// directory) named on the command line through the same entry point, so a crash
/// input from `test-output/fuzz/` can be rerun under a normal debugger.
public enum FuzzReplay {
    public typealias Entry = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    public static func main(_ entry: Entry) -> Never {
        if parley_fuzzer_linked() != 0 {
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(parley_fuzzer_run(&argc, &argv, entry))
        }
        replay(entry)
        exit(0)
    }

    static func replay(_ entry: Entry) {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.isEmpty {
            print("usage: \(CommandLine.arguments[0]) FILE|DIR… (built without -D FUZZING: replays inputs)")
        }
        var count = 0
        for path in arguments {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                let bytes = [UInt8](data) + [0] // never an empty buffer to take a pointer of
                _ = bytes.withUnsafeBufferPointer { entry($0.baseAddress!, data.count) }
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }

    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}
