#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading and writing private key files with POSIX calls: new files are created with mode 0600
/// by `open` itself (never widened or changed afterwards).
enum KeyFile {
    /// Reads a whole file of at most `maximumBytes`.
    static func read(_ path: String, maximumBytes: Int) throws(AuthError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AuthError(.keyFileUnreadable, "cannot open: \(reason(errno))", file: path) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        defer { wipe(&chunk) }
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                wipe(&out)
                throw AuthError(.keyFileUnreadable, "cannot read: \(reason(errno))", file: path)
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
            guard out.count <= maximumBytes else {
                wipe(&out)
                throw AuthError(.keyInvalid, "too large for a PEM private key", file: path)
            }
        }
    }

    /// Creates `path` (it must not exist) with mode 0600 and writes `bytes`; on failure nothing
    /// is left behind.
    static func create(_ path: String, with bytes: [UInt8]) throws(AuthError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST {
                throw AuthError(.keyFileExists, "already exists (use --force to replace it)", file: path)
            }
            throw AuthError(.keyFileUnwritable, "cannot create: \(reason(code))", file: path)
        }
        let written = writeAll(fd, bytes) && fsync(fd) == 0
        let code = errno
        close(fd)
        guard written else {
            unlink(path)
            throw AuthError(.keyFileUnwritable, "cannot write: \(reason(code))", file: path)
        }
    }

    /// Writes `bytes` to a new 0600 file beside `path` and renames it over `path`.
    static func replace(_ path: String, with bytes: [UInt8]) throws(AuthError) {
        let suffix = (try? SecureRandom.hex(byteCount: 6)) ?? String(getpid())
        let temporary = path + ".tmp-" + suffix
        do {
            try create(temporary, with: bytes)
        } catch {
            throw AuthError(error.code == .keyFileExists ? .keyFileUnwritable : error.code, error.message, file: path)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw AuthError(.keyFileUnwritable, "cannot replace: \(reason(code))", file: path)
        }
    }

    /// Overwrites a buffer that held key material before it is released (best effort).
    static func wipe(_ bytes: inout [UInt8]) {
        for i in bytes.indices { bytes[i] = 0 }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
