import FHIRModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small file-system helpers for the package cache and the definition loaders.
enum FileSystem {
    enum Kind {
        case missing, file, directory, other
    }

    /// What is at `path`, without following a final symbolic link.
    static func kind(at path: String, followLinks: Bool = true) -> Kind {
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        guard rc == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    static func isDirectory(_ path: String) -> Bool { kind(at: path) == .directory }
    static func isFile(_ path: String) -> Bool { kind(at: path) == .file }

    /// Reads a whole regular file, refusing files larger than `maxBytes`.
    static func readFile(_ path: String, maxBytes: Int = 256 << 20) throws(FHIRFormatError) -> [UInt8] {
        guard kind(at: path) == .file else { throw FHIRFormatError(.ioRead, "not a regular file") }
        do {
            return try FileBytes.read(path, maxBytes: maxBytes)
        } catch {
            throw FHIRFormatError(.ioRead, error.reason)
        }
    }

    /// Names in a directory (not `.` and `..`), sorted; empty when it cannot be read.
    static func list(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// Creates a directory and its parents.
    static func makeDirectories(_ path: String) throws(PackageError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PackageError(.ioRead, "cannot create directory \(path)")
        }
    }

    /// Removes a file or directory tree; ignores a missing path.
    static func removeTree(_ path: String) {
        guard kind(at: path, followLinks: false) != .missing else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Renames atomically (same file system).
    static func rename(_ from: String, to: String) -> Int32 {
        Foundation.rename(from, to) == 0 ? 0 : errno
    }

    static func join(_ a: String, _ b: String) -> String {
        if a.isEmpty { return b }
        return a.hasSuffix("/") ? a + b : a + "/" + b
    }

    /// An absolute, normalised form of `path` (relative to the working directory).
    static func absolute(_ path: String) -> String {
        var p = path
        if p == "~" || p.hasPrefix("~/") {
            p = homeDirectory() + p.dropFirst()
        }
        if !p.hasPrefix("/") { p = join(FileManager.default.currentDirectoryPath, p) }
        return URL(fileURLWithPath: p).standardizedFileURL.path
    }

    static func homeDirectory() -> String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    static func errnoText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
