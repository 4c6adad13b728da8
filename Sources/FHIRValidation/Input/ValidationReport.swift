import FHIRModel

/// The outcome of validating one resource of an input: a single file, one line of an NDJSON
/// stream, or an input that could not be read at all.
///
/// `issues` holds the reader's findings and the validator's, most severe first (then in source
/// order). The report never copies values from the input except the resource's type and logical
/// id in ``resource``, which label it.
public struct ValidationReport: Sendable {
    /// The file the resource came from (`<stdin>` for standard input).
    public var file: String
    /// The 1-based line of an NDJSON stream, `nil` for a whole-document input.
    public var line: Int?
    /// `Type/id` (or `Type` for a resource without an id); `nil` when the input was unreadable.
    public var resource: String?
    /// Reader and validator issues, most severe first.
    public var issues: [Issue]
    /// Whether the input could not be read (bad syntax, not FHIR, I/O error): ``issues`` then
    /// holds the fatal issue.
    public var unreadable: Bool

    public init(file: String, line: Int? = nil, resource: String?, issues: [Issue], unreadable: Bool = false) {
        self.file = file
        self.line = line
        self.resource = resource
        self.issues = Self.ordered(issues)
        self.unreadable = unreadable
    }

    /// A report for an input that could not be read.
    public static func unreadable(file: String, line: Int? = nil, issue: Issue) -> ValidationReport {
        var fatal = issue
        if fatal.severity != .fatal { fatal.severity = .fatal }
        fatal.file = nil
        return ValidationReport(file: file, line: line, resource: nil, issues: [fatal], unreadable: true)
    }

    /// Error and fatal issues.
    public var errorCount: Int { count { $0 <= .error } }
    public var warningCount: Int { count { $0 == .warning } }
    public var informationCount: Int { count { $0 == .information } }
    /// Whether any issue is an error or fatal.
    public var hasErrors: Bool { issues.contains { $0.severity <= .error } }

    /// `file` or `file:line` for an NDJSON line.
    public var location: String {
        guard let line else { return file }
        return file + ":" + String(line)
    }

    private func count(_ matches: (Issue.Severity) -> Bool) -> Int {
        issues.reduce(0) { $0 + (matches($1.severity) ? 1 : 0) }
    }

    /// Most severe first; among equals, known positions in source order, then the rest as found.
    static func ordered(_ issues: [Issue]) -> [Issue] {
        guard issues.count > 1 else { return issues }
        return issues.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity < b.element.severity }
            let pa = a.element.position ?? .unknown
            let pb = b.element.position ?? .unknown
            if pa.isKnown != pb.isKnown { return pa.isKnown }
            if pa.isKnown && (pa.line, pa.column) != (pb.line, pb.column) {
                return (pa.line, pa.column) < (pb.line, pb.column)
            }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The label of a resource tree: `Type/id`, `Type` without an id, `nil` when the root is not
    /// a resource (no or unknown `resourceType`).
    public static func label(of root: ElementNode) -> String? {
        guard root.isResource, let type = root.typeName, !type.isEmpty else { return nil }
        guard let id = root.childValue("id"), !id.isEmpty else { return type }
        // Only a well-formed id (`[A-Za-z0-9-.]{1,64}`) is shown; anything else could be free
        // text or break a one-line listing.
        let wellFormed =
            id.utf8.count <= 64
            && id.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                    || b == 0x2E
            }
        return type + "/" + (wellFormed ? id : "(invalid id)")
    }
}
