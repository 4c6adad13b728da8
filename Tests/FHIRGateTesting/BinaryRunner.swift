import Foundation

/// Runs the built `fhirgate` binary (from the same build folder as the test bundle) and captures
/// its exit status, standard output and standard error.
public enum BinaryRunner {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: [UInt8]
        public let stderr: String
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The path of the built binary: `.build/<config>/fhirgate` beside the test bundle.
    public static var binaryPath: String {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test runner lives inside FHIRGatePackageTests.xctest on some platforms.
        if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("fhirgate").path
    }

    public static func run(_ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:]) throws
        -> Output
    {
        try run(executable: binaryPath, arguments, stdin: stdin, environment: environment)
    }

    /// Runs any executable (an absolute path) with `arguments`, feeding `stdin` and capturing its
    /// exit status, standard output and standard error; `environment` is added to this process's.
    public static func run(
        executable: String, _ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:]
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let inPipe = Pipe()
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        // Drain both pipes concurrently so a large output cannot block the child.
        let errData = LockedData()
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

    private final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        func set(_ d: Data) { lock.withLock { data = d } }
        func get() -> Data { lock.withLock { data ?? Data() } }
        var isSet: Bool { lock.withLock { data != nil } }
    }
}
