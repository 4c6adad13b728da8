import FHIRModel

/// What a ``JSONDocumentParser`` builds from the values it meets, innermost first: a ``JSONValue``
/// (objects that refuse duplicate keys) or a ``PositionedJSONValue`` (every value with its line and
/// column, duplicates kept for the caller to report).
protocol JSONDocumentBuilder {
    associatedtype Value
    associatedtype Object
    /// Whether values need their source position (when not, the parser does not compute it).
    static var recordsPositions: Bool { get }
    static func null(at position: SourcePosition) -> Value
    static func bool(_ value: Bool, at position: SourcePosition) -> Value
    static func number(_ lexeme: String, at position: SourcePosition) -> Value
    static func string(_ value: String, at position: SourcePosition) -> Value
    static func array(_ items: [Value], at position: SourcePosition) -> Value
    static func emptyObject() -> Object
    static func append(_ key: String, at keyPosition: SourcePosition, value: Value, to object: inout Object)
        throws(FHIRFormatError)
    static func object(_ object: Object, at position: SourcePosition) -> Value
}

/// The one recursive-descent JSON parser over ``JSONScanner`` (UTF-8 checks, exact number lexemes,
/// positions for errors). Nesting is limited by the scanner's `maxDepth` and by the thread's stack.
enum JSONDocumentParser<Builder: JSONDocumentBuilder> {
    /// Parses one whole document from the scanner's offset; content after it is an error.
    static func parseDocument(_ s: inout JSONScanner) throws(FHIRFormatError) -> Builder.Value {
        var stackFloor: UInt = 0
        let value = try parseValue(&s, depth: 0, stackFloor: &stackFloor)
        if s.peekNonSpace() != 0 || !s.atEnd {
            throw s.error(.jsonSyntax, "unexpected content after the JSON value")
        }
        return value
    }

    private static func parseValue(_ s: inout JSONScanner, depth: Int, stackFloor: inout UInt)
        throws(FHIRFormatError) -> Builder.Value
    {
        if depth >= 16 && depth & 7 == 0 {
            if stackFloor == 0 { stackFloor = max(StackGuard.floor(), 1) }
            guard StackGuard.currentAddress() > stackFloor else {
                throw s.error(.jsonDepthLimit, "nesting too deep for the available stack (depth \(depth))")
            }
        }
        let first = s.peekNonSpace()
        let position = Builder.recordsPositions ? s.position : .unknown
        switch first {
        case 0x7B:
            guard depth < s.limits.maxDepth else {
                throw s.error(.jsonDepthLimit, "nesting deeper than \(s.limits.maxDepth)")
            }
            s.offset += 1
            var object = Builder.emptyObject()
            if s.peekNonSpace() == 0x7D {
                s.offset += 1
                return Builder.object(object, at: position)
            }
            while true {
                guard s.peekNonSpace() == 0x22 else { throw s.error(.jsonSyntax, "expected a property name") }
                let keyPosition = s.position
                let key = try s.readString()
                try s.expect(0x3A, "':'")
                let value = try parseValue(&s, depth: depth + 1, stackFloor: &stackFloor)
                try Builder.append(key, at: keyPosition, value: value, to: &object)
                let c = s.peekNonSpace()
                s.offset += 1
                if c == 0x2C { continue }
                if c == 0x7D { return Builder.object(object, at: position) }
                s.offset -= 1
                throw s.error(.jsonSyntax, "expected ',' or '}'")
            }
        case 0x5B:
            guard depth < s.limits.maxDepth else {
                throw s.error(.jsonDepthLimit, "nesting deeper than \(s.limits.maxDepth)")
            }
            s.offset += 1
            var items: [Builder.Value] = []
            if s.peekNonSpace() == 0x5D {
                s.offset += 1
                return Builder.array(items, at: position)
            }
            while true {
                items.append(try parseValue(&s, depth: depth + 1, stackFloor: &stackFloor))
                let c = s.peekNonSpace()
                s.offset += 1
                if c == 0x2C { continue }
                if c == 0x5D { return Builder.array(items, at: position) }
                s.offset -= 1
                throw s.error(.jsonSyntax, "expected ',' or ']'")
            }
        case 0x22:
            return Builder.string(try s.readString(), at: position)
        case 0x2D, 0x30...0x39:
            return Builder.number(try s.readNumberLexeme(), at: position)
        case 0:
            throw s.error(.jsonSyntax, "unexpected end of input")
        default:
            if case .bool(let b) = try s.readLiteral() { return Builder.bool(b, at: position) }
            return Builder.null(at: position)
        }
    }
}
