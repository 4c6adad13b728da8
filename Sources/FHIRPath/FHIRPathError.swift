/// A place in a FHIRPath expression: 1-based line and column (UTF-8 bytes) and 0-based byte offset.
public struct FHIRPathLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// The start of the text.
    public static let start = FHIRPathLocation(line: 1, column: 1, offset: 0)

    public var description: String { "\(line):\(column)" }
}

/// A half-open span of a FHIRPath expression: `start` is the first byte, `end` is just past the last.
public struct FHIRPathRange: Sendable, Hashable, CustomStringConvertible {
    public var start: FHIRPathLocation
    public var end: FHIRPathLocation

    public init(start: FHIRPathLocation, end: FHIRPathLocation) {
        self.start = start
        self.end = end
    }

    /// The smallest range covering both `self` and `other`.
    public func union(_ other: FHIRPathRange) -> FHIRPathRange {
        FHIRPathRange(
            start: start.offset <= other.start.offset ? start : other.start,
            end: end.offset >= other.end.offset ? end : other.end)
    }

    public var description: String { "\(start)-\(end)" }
}

/// A failure to read, check or run a FHIRPath expression.
///
/// Messages name token kinds, functions and limits only; they never quote values from the input.
public struct FHIRPathError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The text is not a well-formed expression.
        case syntax
        /// The expression is well formed but wrong for the model (unknown function, wrong types).
        case semantic
        /// The expression failed while being evaluated.
        case execution
    }

    public var kind: Kind
    public var message: String
    public var location: FHIRPathLocation

    public init(_ kind: Kind, _ message: String, at location: FHIRPathLocation) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public var description: String { "FHIRPath \(kind.rawValue) error at \(location): \(message)" }
}
