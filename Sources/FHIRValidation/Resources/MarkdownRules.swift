import FHIRModel

/// What the validator does with raw HTML (tags, comments, processing instructions) written into
/// `markdown` values: FHIR markdown is CommonMark without raw HTML, and presentation layers
/// escape or drop such content, so it is usually a mistake (`<id>` meant as text, or an HTML
/// fragment pasted in).
public enum MarkdownHTMLPolicy: String, Sendable, CaseIterable {
    /// Not checked.
    case ignore
    /// Reported as a warning.
    case warning
    /// Reported as an error.
    case error
}

extension IssueCode {
    /// A `markdown` value containing raw HTML that is not escaped (``MarkdownHTMLPolicy``).
    public static let markdownHTML: IssueCode = "VAL-MARKDOWN-HTML"
}

/// Rules of `markdown` values.
enum MarkdownRules {
    /// Reports the first raw HTML construct of a markdown value (one issue per value), at the
    /// severity the policy asks for. The message gives its line and column inside the value,
    /// never the text.
    static func check(
        _ node: ElementNode, policy: MarkdownHTMLPolicy, path: String, into issues: inout [Issue]
    ) {
        let severity: Issue.Severity
        switch policy {
        case .ignore: return
        case .warning: severity = .warning
        case .error: severity = .error
        }
        guard let text = node.value, text.utf8.contains(UInt8(ascii: "<")) else { return }
        var scanner = MarkdownHTMLScanner(text)
        guard let offset = scanner.firstRawHTML() else { return }
        let place = scanner.lineAndColumn(of: offset)
        issues.append(
            Issue(
                severity, .markdownHTML,
                "the markdown contains what appears to be an HTML tag (at line \(place.line), column \(place.column) "
                    + "of the value) that is not escaped; presentation layers escape or drop raw HTML in markdown, "
                    + "so write it as \\< or in a code span if it is meant as text",
                path: path, position: node.position))
    }
}
