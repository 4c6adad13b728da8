#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole-file reads and atomic writes of bytes, shared by the readers, the package cache and the
/// command line. Errors name the file and the system's reason.
public enum FileBytes {
    public struct IOError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Reads a whole file. Files larger than `maxBytes` are refused.
    public static func read(_ path: String, maxBytes: Int = 4 << 30) throws(IOError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOError(path: path, reason: lastError()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IOError(path: path, reason: lastError()) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw IOError(path: path, reason: "is a directory") }
        let size = Int(st.st_size)
        guard size <= maxBytes else {
            throw IOError(path: path, reason: "file of \(size) bytes exceeds the limit of \(maxBytes)")
        }
        var out = [UInt8]()
        out.reserveCapacity(size > 0 ? size : 65536)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(path: path, reason: lastError())
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            guard out.count <= maxBytes else {
                throw IOError(path: path, reason: "file exceeds the limit of \(maxBytes) bytes")
            }
        }
        return out
    }

    /// Writes bytes to a temporary file beside `path` and renames it into place, so readers never
    /// see a half-written file.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(IOError) {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw IOError(path: tmp, reason: lastError()) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Glibc.write(fd, buf.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = lastError()
                close(fd)
                unlink(tmp)
                throw IOError(path: tmp, reason: reason)
            }
            written += n
        }
        guard fsync(fd) == 0, close(fd) == 0 else {
            unlink(tmp)
            throw IOError(path: tmp, reason: lastError())
        }
        guard rename(tmp, path) == 0 else {
            let reason = lastError()
            unlink(tmp)
            throw IOError(path: path, reason: reason)
        }
    }

    /// Creates a directory and its parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(IOError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw IOError(path: current, reason: lastError())
            }
        }
    }

    /// Whether a file or directory exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The names of the entries of a directory (no `.` and `..`), sorted.
    public static func listDirectory(_ path: String) throws(IOError) -> [String] {
        guard let dir = opendir(path) else { throw IOError(path: path, reason: lastError()) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            // `d_name` is variable-length: read it as a C string in place, never copy the
            // whole declared array (that reads past a short entry).
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Size and modification time (nanoseconds) of a file, or `nil` when it cannot be read.
    public static func fingerprint(_ path: String) -> (size: Int, modified: Int)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (Int(st.st_size), Int(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(st.st_mtim.tv_nsec))
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
