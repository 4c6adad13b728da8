import FHIRModel

/// The issues of an `OperationOutcome` a server returned, in a flat form for reports and decisions.
///
/// The free text (`detailsText`, `diagnostics`) is the server's own and may repeat values of the
/// request (a bad date, an identifier): ``description`` shows it, for a person reading a report;
/// ``codesDescription`` leaves it out, for error messages and log lines.
public struct OperationOutcomeSummary: Sendable, Equatable, CustomStringConvertible {
    public struct Item: Sendable, Equatable {
        /// `fatal`, `error`, `warning` or `information`.
        public var severity: String
        /// The issue type code (`invalid`, `conflict`, `forbidden`...).
        public var code: String
        /// `details.text`, else the `details.coding` codes joined by commas.
        public var detailsText: String?
        public var diagnostics: String?
        /// `expression` (FHIRPath), else the deprecated `location`.
        public var expression: [String]

        public init(
            severity: String, code: String, detailsText: String? = nil, diagnostics: String? = nil,
            expression: [String] = []
        ) {
            self.severity = severity
            self.code = code
            self.detailsText = detailsText
            self.diagnostics = diagnostics
            self.expression = expression
        }

        /// `severity [code] expression: details; diagnostics`.
        public var line: String {
            var text = codesLine
            let texts = [detailsText, diagnostics].compactMap { $0 }.filter { !$0.isEmpty }
            var seen: [String] = []
            for t in texts where !seen.contains(t) { seen.append(t) }
            if !seen.isEmpty { text += ": " + seen.joined(separator: "; ") }
            return text
        }

        /// `severity [code] expression`, without the server's free text.
        public var codesLine: String {
            var text = "\(severity) [\(code)]"
            if !expression.isEmpty { text += " " + expression.joined(separator: ", ") }
            return text
        }
    }

    public var issues: [Item]

    public init(issues: [Item]) {
        self.issues = issues
    }

    /// The summary of an `OperationOutcome` resource node, or nil for any other node.
    public init?(_ resource: ElementNode) {
        guard resource.resourceType == "OperationOutcome" else { return nil }
        issues = resource.children(named: "issue").map(Self.item)
    }

    /// Whether any issue is `fatal` or `error`.
    public var hasErrors: Bool { issues.contains { $0.severity == "fatal" || $0.severity == "error" } }

    /// One line per issue, with the server's text.
    public var description: String { issues.map(\.line).joined(separator: "\n") }

    /// One line per issue with severity, code and expression only (no server text): safe for logs.
    public var codesDescription: String { issues.map(\.codesLine).joined(separator: "; ") }

    private static func item(_ node: ElementNode) -> Item {
        let details = node.child(named: "details")
        var detailsText = details?.childValue("text")
        if detailsText == nil, let details {
            let codes = details.children(named: "coding").compactMap { $0.childValue("code") }
            if !codes.isEmpty { detailsText = codes.joined(separator: ", ") }
        }
        var expression = node.children(named: "expression").compactMap(\.value)
        if expression.isEmpty { expression = node.children(named: "location").compactMap(\.value) }
        return Item(
            severity: node.childValue("severity") ?? "error", code: node.childValue("code") ?? "unknown",
            detailsText: detailsText, diagnostics: node.childValue("diagnostics"), expression: expression)
    }
}
