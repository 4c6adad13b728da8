import FHIRModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes the entries reported by a ``TarReader`` below a root folder, refusing anything that
/// could escape it: absolute paths, `..` components, and links pointing outside. Links inside the
/// archive are skipped with a warning (only regular files and directories are installed); no
/// symbolic link is ever created, so every path below the root is a real folder or file.
final class TarExtractor: TarEntryHandler {
    let root: String
    private(set) var warnings: [Issue] = []
    private(set) var fileCount = 0
    private var currentFD: Int32 = -1
    private var currentPath = ""

    init(root: String) {
        self.root = root
    }

    deinit {
        if currentFD >= 0 { close(currentFD) }
    }

    /// The safe components of an archive path: no empty or `.` parts, no `..`, not absolute.
    static func safeComponents(_ path: String) throws(PackageError) -> [String] {
        if path.hasPrefix("/") {
            throw PackageError.invalid("archive entry '\(displayName(path))' has an absolute path")
        }
        if path.utf8.contains(0x5C) {
            throw PackageError.invalid("archive entry '\(displayName(path))' contains a backslash")
        }
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                throw PackageError.invalid("archive entry '\(displayName(path))' has a '..' component (path traversal)")
            }
            guard part.utf8.count <= 255 else {
                throw PackageError.invalid("archive entry '\(displayName(path))' has a name part longer than 255 bytes")
            }
            parts.append(String(part))
        }
        return parts
    }

    func directory(path: String) throws(PackageError) {
        let parts = try Self.safeComponents(path)
        try makeDirectories(parts, entry: path)
    }

    func beginFile(path: String, size: Int) throws(PackageError) {
        let parts = try Self.safeComponents(path)
        guard let name = parts.last else {
            throw PackageError.invalid("archive entry '\(displayName(path))' is a file without a name")
        }
        let parent = try makeDirectories(Array(parts.dropLast()), entry: path)
        let full = FileSystem.join(parent, name)
        if FileSystem.kind(at: full, followLinks: false) == .directory {
            throw PackageError.invalid(
                "archive entry '\(displayName(path))' is a file where a folder was already extracted")
        }
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PackageError(
                .ioRead, "cannot write extracted file '\(displayName(path))' (\(FileSystem.errnoText()))")
        }
        currentFD = fd
        currentPath = path
        fileCount += 1
    }

    func fileData(_ bytes: UnsafeRawBufferPointer) throws(PackageError) {
        guard currentFD >= 0, let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            let n = write(currentFD, base + written, bytes.count - written)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw PackageError(
                    .ioRead, "cannot write extracted file '\(displayName(currentPath))' (\(FileSystem.errnoText()))")
            }
            written += n
        }
    }

    func endFile() throws(PackageError) {
        guard currentFD >= 0 else { return }
        let rc = close(currentFD)
        currentFD = -1
        guard rc == 0 else {
            throw PackageError(.ioRead, "cannot finish extracted file '\(displayName(currentPath))'")
        }
    }

    func link(path: String, target: String, symbolic: Bool) throws(PackageError) {
        let parts = try Self.safeComponents(path)
        var resolved: [String] = symbolic ? Array(parts.dropLast()) : []
        let outside = PackageError.invalid(
            "archive entry '\(displayName(path))' is a \(symbolic ? "symbolic" : "hard") link pointing outside the package"
        )
        if target.hasPrefix("/") || target.isEmpty { throw outside }
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !resolved.isEmpty else { throw outside }
                resolved.removeLast()
            } else {
                resolved.append(String(part))
            }
        }
        guard !resolved.isEmpty else { throw outside }
        warnings.append(
            Issue(
                .warning, .packageInvalid,
                "archive entry '\(displayName(path))' is a link; skipped (only files and folders are installed)"))
    }

    /// Creates the folders for `parts` below the root, checking each exists as a real folder.
    @discardableResult
    private func makeDirectories(_ parts: [String], entry: String) throws(PackageError) -> String {
        var path = root
        for part in parts {
            path = FileSystem.join(path, part)
            switch FileSystem.kind(at: path, followLinks: false) {
            case .directory:
                continue
            case .missing:
                guard
                    mkdir(path, 0o755) == 0
                        || (errno == EEXIST && FileSystem.kind(at: path, followLinks: false) == .directory)
                else {
                    throw PackageError(
                        .ioRead,
                        "cannot create folder for archive entry '\(displayName(entry))' (\(FileSystem.errnoText()))")
                }
            case .file, .other:
                throw PackageError.invalid(
                    "archive entry '\(displayName(entry))' needs a folder where a file was already extracted")
            }
        }
        return path
    }
}
