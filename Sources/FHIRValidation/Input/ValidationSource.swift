import FHIRModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One input to validate: a document (a FHIR JSON or XML file: one resource, a Bundle), an NDJSON
/// stream (one resource a line), or standard input (whose kind is told from its content).
public enum ValidationSource: Sendable, Hashable {
    case document(path: String)
    case ndjson(path: String)
    case standardInput

    /// The name used in reports (`<stdin>` for standard input).
    public var name: String {
        switch self {
        case .document(let path), .ndjson(let path): path
        case .standardInput: ValidationSource.standardInputName
        }
    }

    public static let standardInputName = "<stdin>"

    /// Expands command-line paths into sources, in order: `-` is standard input; a folder is
    /// searched recursively for `.json`, `.xml` and `.ndjson` (`.jsonl`) files, in sorted order,
    /// skipping hidden entries and package manifests (`package.json`); `.ndjson`/`.jsonl` files are streams; any other path is a
    /// document (a path that does not exist stays a document, so reading it reports the error).
    public static func expand(_ paths: [String], maxDepth: Int = 32) -> [ValidationSource] {
        var out: [ValidationSource] = []
        for path in paths {
            if path == "-" {
                out.append(.standardInput)
            } else if isDirectory(path) {
                collect(folder: path, depth: 0, maxDepth: maxDepth, into: &out)
            } else {
                out.append(isStreamName(path) ? .ndjson(path: path) : .document(path: path))
            }
        }
        return out
    }

    /// Whether a file name names an NDJSON stream (`.ndjson`, `.jsonl`).
    public static func isStreamName(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl")
    }

    private static func isResourceFileName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".json") || lower.hasSuffix(".xml") || isStreamName(lower)
    }

    /// FHIR package manifests (`package.json`) sit beside resources in package folders; they are
    /// not resources, so a folder search skips them (naming one explicitly still reads it).
    private static func isPackageManifest(_ name: String) -> Bool {
        name == "package.json"
    }

    private static func collect(folder: String, depth: Int, maxDepth: Int, into out: inout [ValidationSource]) {
        // The depth bound also ends a cycle of symbolic links.
        guard depth <= maxDepth, let names = try? FileBytes.listDirectory(folder) else { return }
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        for name in names where !name.hasPrefix(".") {
            let path = base + name
            if isDirectory(path) {
                collect(folder: path, depth: depth + 1, maxDepth: maxDepth, into: &out)
            } else if isResourceFileName(name), !isPackageManifest(name) {
                out.append(isStreamName(name) ? .ndjson(path: path) : .document(path: path))
            }
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }
}

/// What a document's bytes look like.
enum DocumentKind: Equatable {
    case json, xml, ndjson
    case empty
    case unknown

    /// Decides from the content: the first non-blank byte (after a UTF-8 byte order mark) is `{`
    /// for JSON and `<` for XML. JSON whose first non-blank line is a whole object on its own
    /// (`{...}`) followed by another line starting with `{` is NDJSON (a pretty-printed document
    /// never has a complete object on its first line).
    static func detect(_ bytes: [UInt8]) -> DocumentKind {
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, isBlank(bytes[i]) { i += 1 }
        guard i < bytes.count else { return .empty }
        switch bytes[i] {
        case UInt8(ascii: "<"): return .xml
        case UInt8(ascii: "{"): break
        default: return .unknown
        }
        // The first line: does it end (before blanks) with `}`, and does another line follow?
        let end = firstNewline(in: bytes, from: i)
        var last = end - 1
        while last > i, isBlank(bytes[last]) { last -= 1 }
        guard bytes[last] == UInt8(ascii: "}"), end < bytes.count else { return .json }
        var next = end + 1
        while next < bytes.count, isBlank(bytes[next]) { next += 1 }
        return next < bytes.count && bytes[next] == UInt8(ascii: "{") ? .ndjson : .json
    }

    /// The index of the first line feed at or after `start`, or `bytes.count` (memchr: a
    /// minified document is one long line).
    private static func firstNewline(in bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, start < buffer.count,
                let hit = memchr(base + start, 0x0A, buffer.count - start)
            else { return buffer.count }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        }
    }

    private static func isBlank(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }
}
