import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The report of the clinic commands (`import referrals`, `translate`): every issue with its
/// file, line:column and field or FHIRPath location, and counts. Text is one line per issue
/// (`file:line:col severity [CODE] path: message`) and a summary; JSON is one object
/// `{"command", "counts": {...}, "issues": [...], ...}`. Messages never carry values from the input.
struct ClinicReport {
    enum Format: String, CaseIterable {
        case text, json
    }

    let command: String
    var issues: [Issue] = []
    /// Named counts in the order they are added (`records`, `referrals`, `resources`...).
    var counts: [(String, Int)] = []
    /// Extra JSON members (e.g. `withheld`, `written`).
    var extra: [(String, JSONValue)] = []
    /// Extra text lines printed before the summary (e.g. withheld items).
    var extraLines: [String] = []

    init(command: String) {
        self.command = command
    }

    var errorCount: Int { issues.filter { $0.severity <= .error }.count }
    var warningCount: Int { issues.filter { $0.severity == .warning }.count }

    mutating func count(_ name: String, _ value: Int) {
        if let i = counts.firstIndex(where: { $0.0 == name }) {
            counts[i].1 = value
        } else {
            counts.append((name, value))
        }
    }

    /// The whole report in a format, ending in a newline.
    func rendered(_ format: Format) -> [UInt8] {
        switch format {
        case .text:
            var out = ""
            for issue in issues { out += Self.line(issue) + "\n" }
            for line in extraLines { out += line + "\n" }
            out += "fhirgate \(command): " + summary() + "\n"
            return Array(out.utf8)
        case .json:
            var pairs: [(String, JSONValue)] = [("command", .string(command))]
            var countPairs = counts.map { ($0.0, JSONValue.number($0.1)) }
            countPairs.append(("errors", .number(errorCount)))
            countPairs.append(("warnings", .number(warningCount)))
            pairs.append(("counts", .object(JSONObject(countPairs))))
            pairs.append(("issues", .array(issues.map(Self.json))))
            pairs += extra
            var bytes = JSONValue.object(JSONObject(pairs)).serialized(pretty: true)
            bytes.append(0x0A)
            return bytes
        }
    }

    /// `referrals: 1, records: 4; 1 error, 0 warnings`.
    func summary() -> String {
        let parts = counts.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        let findings =
            "\(errorCount) error\(errorCount == 1 ? "" : "s"), \(warningCount) warning"
            + (warningCount == 1 ? "" : "s")
        return parts.isEmpty ? findings : parts + "; " + findings
    }

    /// One issue on one line (messages are single lines).
    static func line(_ issue: Issue) -> String {
        let text = issue.description
        guard text.contains(where: \.isNewline) else { return text }
        return String(text.map { $0.isNewline ? " " : $0 })
    }

    /// `{"file", "line", "column", "severity", "code", "path", "message"}` (absent parts left out).
    static func json(_ issue: Issue) -> JSONValue {
        var pairs: [(String, JSONValue)] = []
        if let file = issue.file { pairs.append(("file", .string(file))) }
        if let p = issue.position, p.isKnown {
            pairs.append(("line", .number(Int(p.line))))
            pairs.append(("column", .number(Int(p.column))))
        }
        pairs.append(("severity", .string(issue.severity.rawValue)))
        pairs.append(("code", .string(issue.code.rawValue)))
        if let path = issue.path { pairs.append(("path", .string(path))) }
        pairs.append(("message", .string(issue.message)))
        return .object(JSONObject(pairs))
    }
}

/// Finding clinic input files: files as named, folders searched recursively (sorted, hidden
/// entries skipped) for the given extensions.
enum ClinicInputFiles {
    /// The files to read, and the named paths that do not exist.
    static func expand(_ paths: [String], extensions: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        for path in paths {
            if isDirectory(path) {
                collect(folder: path, extensions: extensions, depth: 0, into: &files)
            } else if FileBytes.exists(path) {
                files.append(path)
            } else {
                missing.append(path)
            }
        }
        return (files, missing)
    }

    private static func collect(folder: String, extensions: [String], depth: Int, into files: inout [String]) {
        guard depth < 16, let names = try? FileBytes.listDirectory(folder) else { return }
        let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        for name in names where !name.hasPrefix(".") {
            let path = base + "/" + name
            if isDirectory(path) {
                collect(folder: path, extensions: extensions, depth: depth + 1, into: &files)
            } else if extensions.contains(where: { name.lowercased().hasSuffix("." + $0) }) {
                files.append(path)
            }
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether an issue means the input could not be read at all (missing, unreadable, bad syntax).
    static func isUnreadable(_ issue: Issue) -> Bool {
        issue.severity == .fatal
    }
}
