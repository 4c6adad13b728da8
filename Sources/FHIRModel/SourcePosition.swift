/// A place in a source document: 1-based line and column (in UTF-8 bytes).
///
/// A position of `(0, 0)` means "unknown", for nodes built in code rather than read from a file.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int32
    public var column: Int32

    public init(line: Int, column: Int) {
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
    }

    public static let unknown = SourcePosition(line: 0, column: 0)

    public var isKnown: Bool { line > 0 }

    public var description: String { isKnown ? "\(line):\(column)" : "?" }
}
