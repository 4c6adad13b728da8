import Foundation

/// Paths in the configuration: `~/` is the home folder, relative paths are relative to the
/// configuration file's folder.
enum PathResolution {
    /// The folder part of `file` ("." when it has none).
    static func folder(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        let folder = String(file[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// `path` made absolute against the current folder, with `.` and `..` folded.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return normalized(path) }
        return normalized(FileManager.default.currentDirectoryPath + "/" + path)
    }

    /// A path from the configuration, resolved against `base` (an absolute folder).
    static func resolve(_ path: String, against base: String) -> String {
        if path == "~" || path.hasPrefix("~/") {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            return normalized(home + path.dropFirst())
        }
        if path.hasPrefix("/") { return normalized(path) }
        return normalized(base + "/" + path)
    }

    /// Folds `.`, `..` and repeated slashes of an absolute path (without touching the file system).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
