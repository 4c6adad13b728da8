import Foundation

/// Runs a command-line tool (curl, openssl, bash) for the reference-EHR tests and captures its exit
/// status, standard output and standard error.
public enum ReferenceEHRCommand {
    public typealias Output = BinaryRunner.Output

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Runs `executable` (an absolute path, or a name looked up on PATH) with `arguments`.
    public static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = []) throws -> Output {
        try BinaryRunner.run(executable: try resolve(executable), arguments, stdin: stdin)
    }

    /// Like `run`, but throws with the tool's standard error when it exits with a non-zero status.
    @discardableResult
    public static func check(_ executable: String, _ arguments: [String], stdin: [UInt8] = []) throws -> Output {
        let output = try run(executable, arguments, stdin: stdin)
        guard output.status == 0 else {
            throw Failure("\(executable) \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output
    }

    /// The absolute path of a tool: itself when it contains a slash, else the first match on PATH.
    public static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Failure("\(name) not found on PATH")
    }
}
