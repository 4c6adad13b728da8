#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Standard input, output and error as bytes (no Foundation), for commands that stream data.
enum StandardStreams {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads all of standard input.
    static func readStandardInput(maxBytes: Int = 4 << 30) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: String(cString: strerror(errno)))
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
            if out.count > maxBytes { throw ReadError(description: "standard input exceeds \(maxBytes) bytes") }
        }
    }

    /// Writes bytes to standard output.
    static func writeStandardOutput(_ bytes: [UInt8]) {
        write(fd: 1, bytes)
    }

    static func write(fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}

/// Prints a line on standard error.
func printError(_ message: String) {
    StandardStreams.write(fd: 2, Array((message + "\n").utf8))
}
