/// What a reader returns for one input: the tree and the recoverable issues found while reading.
///
/// Fatal problems (bad syntax, forbidden DOCTYPE, limits) are thrown as ``FHIRFormatError``
/// instead; everything else is kept in the tree and reported here, never dropped.
public struct ParsedResource: Sendable {
    public var root: ElementNode
    public var issues: [Issue]

    public init(root: ElementNode, issues: [Issue] = []) {
        self.root = root
        self.issues = issues
    }

    /// Whether any issue is an error or fatal.
    public var hasErrors: Bool { issues.contains { $0.severity <= .error } }
}
