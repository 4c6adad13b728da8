import Foundation

/// Runs a command-line tool (curl, openssl, bash) for the reference-EHR tests and captures its exit
/// status, standard output and standard error.
public enum ReferenceEHRCommand {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: [UInt8]
        public let stderr: String
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Runs `executable` (an absolute path, or a name looked up on PATH) with `arguments`.
    public static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = []) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(executable))
        process.arguments = arguments
        let inPipe = Pipe()
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        // Drain standard error on its own thread so that neither pipe can fill up and block the child.
        let errData = Collected()
        let errThread = Thread { errData.set(errPipe.fileHandleForReading.readDataToEndOfFile()) }
        errThread.start()
        if !stdin.isEmpty { inPipe.fileHandleForWriting.write(Data(stdin)) }
        try? inPipe.fileHandleForWriting.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return Output(
            status: process.terminationStatus, stdout: [UInt8](out),
            stderr: String(decoding: errData.get(), as: UTF8.self))
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

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        func set(_ d: Data) { lock.withLock { data = d } }
        func get() -> Data { lock.withLock { data ?? Data() } }
        var isSet: Bool { lock.withLock { data != nil } }
    }
}
