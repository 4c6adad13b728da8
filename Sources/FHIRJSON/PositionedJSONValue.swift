import FHIRModel

/// A JSON value with the line and column where it starts, for readers that name the place of every
/// problem (the clinic record readers). Numbers keep their exact lexeme; object members keep document
/// order and duplicates (the reader decides what a duplicate means).
public struct PositionedJSONValue: Sendable {
    public indirect enum Value: Sendable {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([PositionedJSONValue])
        case object([Member])
    }

    public struct Member: Sendable {
        public var key: String
        public var keyPosition: SourcePosition
        public var value: PositionedJSONValue

        public init(key: String, keyPosition: SourcePosition, value: PositionedJSONValue) {
            self.key = key
            self.keyPosition = keyPosition
            self.value = value
        }
    }

    public var value: Value
    public var position: SourcePosition

    public init(_ value: Value, at position: SourcePosition) {
        self.value = value
        self.position = position
    }

    /// Parses one whole JSON document; `startLine` is the line of the buffer's first byte in its
    /// file (a line of an NDJSON file), and a UTF-8 byte order mark is skipped when asked.
    public static func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, startLine: Int = 1, maxDepth: Int, skipByteOrderMark: Bool
    ) throws(FHIRFormatError) -> PositionedJSONValue {
        var scanner = JSONScanner(bytes: buffer, limits: JSONLimits(maxDepth: maxDepth, maxBytes: Int.max))
        scanner.line = startLine
        if skipByteOrderMark {
            scanner.skipByteOrderMark()
            scanner.lineStart = scanner.offset
        }
        return try JSONDocumentParser<Builder>.parseDocument(&scanner)
    }

    /// Parses bytes held in an array (a convenience for tests and small inputs).
    public static func parse(_ bytes: [UInt8], startLine: Int = 1, maxDepth: Int = 32) throws(FHIRFormatError)
        -> PositionedJSONValue
    {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(FHIRFormatError) -> PositionedJSONValue in
                try parse(buffer, startLine: startLine, maxDepth: maxDepth, skipByteOrderMark: true)
            }
        }
        return try result.get()
    }

    enum Builder: JSONDocumentBuilder {
        static let recordsPositions = true
        static func null(at position: SourcePosition) -> PositionedJSONValue { .init(.null, at: position) }
        static func bool(_ value: Bool, at position: SourcePosition) -> PositionedJSONValue {
            .init(.bool(value), at: position)
        }
        static func number(_ lexeme: String, at position: SourcePosition) -> PositionedJSONValue {
            .init(.number(lexeme), at: position)
        }
        static func string(_ value: String, at position: SourcePosition) -> PositionedJSONValue {
            .init(.string(value), at: position)
        }
        static func array(_ items: [PositionedJSONValue], at position: SourcePosition) -> PositionedJSONValue {
            .init(.array(items), at: position)
        }
        static func emptyObject() -> [Member] { [] }
        static func append(
            _ key: String, at keyPosition: SourcePosition, value: PositionedJSONValue, to object: inout [Member]
        ) {
            object.append(Member(key: key, keyPosition: keyPosition, value: value))
        }
        static func object(_ object: [Member], at position: SourcePosition) -> PositionedJSONValue {
            .init(.object(object), at: position)
        }
    }
}
