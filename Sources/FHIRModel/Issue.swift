/// A finding about an input: what the readers report for recoverable problems, and what the
/// validator produces. It maps one-to-one to an `OperationOutcome.issue`.
public struct Issue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
        case fatal, error, warning, information

        private var rank: Int {
            switch self {
            case .fatal: 0
            case .error: 1
            case .warning: 2
            case .information: 3
            }
        }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    /// Our stable issue code (see ``IssueCode``).
    public var code: IssueCode
    /// A readable message. It never contains values from the input (no PHI), only names and
    /// positions.
    public var message: String
    /// FHIRPath-style location (`Patient.name[0].given[1]`), when known.
    public var path: String?
    /// Line and column in the source, when known.
    public var position: SourcePosition?
    /// The file the input came from, when known.
    public var file: String?

    public init(
        _ severity: Severity, _ code: IssueCode, _ message: String, path: String? = nil,
        position: SourcePosition? = nil, file: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.path = path
        self.position = position
        self.file = file
    }

    public var description: String {
        var parts: [String] = []
        var place = file ?? ""
        if let p = position, p.isKnown { place += place.isEmpty ? "\(p)" : ":\(p)" }
        if !place.isEmpty { parts.append(place) }
        parts.append("\(severity.rawValue) [\(code.rawValue)]")
        if let path { parts.append(path) }
        return parts.joined(separator: " ") + ": " + message
    }
}

/// Stable issue codes, one family per layer, so users can filter on them. Each has the
/// OperationOutcome `issue.code` (IssueType) it maps to.
public struct IssueCode: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The OperationOutcome IssueType code for this issue code.
    public var issueType: String {
        if rawValue.hasPrefix("VAL-") {
            if rawValue.contains("NOT-CHECKED") || rawValue.contains("NOT-EVALUATED") { return "not-supported" }
            if rawValue.hasPrefix("VAL-BINDING") || rawValue.hasPrefix("VAL-CODE") { return "code-invalid" }
            if rawValue.hasPrefix("VAL-INVARIANT") { return "invariant" }
            if rawValue.hasPrefix("VAL-CARDINALITY") || rawValue.hasPrefix("VAL-SLICE") { return "structure" }
        }
        if rawValue.hasSuffix("-SYNTAX") || rawValue.hasPrefix("JSON-SYNTAX") || rawValue.hasPrefix("XML-SYNTAX") {
            return "structure"
        }
        if rawValue.contains("UNKNOWN") { return "structure" }
        if rawValue.contains("SECURITY") || rawValue.contains("DOCTYPE") || rawValue.contains("ENTITY") {
            return "security"
        }
        if rawValue.contains("LIMIT") || rawValue.contains("DEPTH") || rawValue.contains("SIZE") { return "too-costly" }
        if rawValue.contains("VALUE") || rawValue.contains("TYPE") { return "value" }
        return "invalid"
    }

    // JSON
    public static let jsonSyntax: IssueCode = "JSON-SYNTAX"
    public static let jsonEncoding: IssueCode = "JSON-ENCODING"
    public static let jsonDuplicateKey: IssueCode = "JSON-DUPLICATE-KEY"
    public static let jsonDepthLimit: IssueCode = "JSON-DEPTH-LIMIT"
    public static let jsonSizeLimit: IssueCode = "JSON-SIZE-LIMIT"
    public static let jsonWrongType: IssueCode = "JSON-WRONG-TYPE"
    public static let jsonArrayExpected: IssueCode = "JSON-ARRAY-EXPECTED"
    public static let jsonArrayUnexpected: IssueCode = "JSON-ARRAY-UNEXPECTED"
    public static let jsonNullValue: IssueCode = "JSON-NULL-VALUE"
    public static let jsonEmpty: IssueCode = "JSON-EMPTY"
    // Shared structural codes (both formats)
    public static let unknownElement: IssueCode = "STRUCT-UNKNOWN-ELEMENT"
    public static let unknownResourceType: IssueCode = "STRUCT-UNKNOWN-RESOURCE-TYPE"
    public static let missingResourceType: IssueCode = "STRUCT-MISSING-RESOURCE-TYPE"
    public static let primitiveMismatch: IssueCode = "STRUCT-PRIMITIVE-MISMATCH"
    public static let invalidPrimitiveValue: IssueCode = "STRUCT-INVALID-VALUE"
    public static let choiceConflict: IssueCode = "STRUCT-CHOICE-CONFLICT"
    /// An element that does not repeat appears more than once (XML; JSON reports an array).
    public static let elementRepeated: IssueCode = "STRUCT-ELEMENT-REPEATED"
    // XML
    public static let xmlSyntax: IssueCode = "XML-SYNTAX"
    public static let xmlDoctype: IssueCode = "XML-DOCTYPE-FORBIDDEN"
    public static let xmlEntity: IssueCode = "XML-ENTITY-FORBIDDEN"
    public static let xmlNamespace: IssueCode = "XML-NAMESPACE"
    public static let xmlSizeLimit: IssueCode = "XML-SIZE-LIMIT"
    public static let xmlDepthLimit: IssueCode = "XML-DEPTH-LIMIT"
    public static let xmlUnexpectedText: IssueCode = "XML-UNEXPECTED-TEXT"
    public static let xmlUnexpectedAttribute: IssueCode = "XML-UNEXPECTED-ATTRIBUTE"
    // Definitions and packages
    public static let packageNotFound: IssueCode = "DEF-PACKAGE-NOT-FOUND"
    public static let packageInvalid: IssueCode = "DEF-PACKAGE-INVALID"
    public static let packageChecksum: IssueCode = "DEF-PACKAGE-CHECKSUM"
    public static let definitionInvalid: IssueCode = "DEF-INVALID"
    // I/O
    public static let ioRead: IssueCode = "IO-READ"
    public static let ioWrite: IssueCode = "IO-WRITE"
}

/// A fatal problem that stops reading one input (bad syntax, forbidden DOCTYPE, limits).
/// It carries the issue, with position, so callers can report it and go on with the next input.
public struct FHIRFormatError: Error, Sendable, CustomStringConvertible {
    public var issue: Issue
    public init(_ issue: Issue) { self.issue = issue }
    public init(_ code: IssueCode, _ message: String, position: SourcePosition? = nil, path: String? = nil) {
        self.issue = Issue(.fatal, code, message, path: path, position: position)
    }
    public var description: String { issue.description }
}
