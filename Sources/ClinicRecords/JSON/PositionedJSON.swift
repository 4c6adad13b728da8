import FHIRJSON
import FHIRModel

/// A JSON value with the line and column where it starts: what the record readers walk, so
/// every problem can name its place. Numbers keep their exact lexeme; object members keep
/// document order and duplicates (the field reader reports them with their path).
struct JSONNode: Sendable {
    indirect enum Value: Sendable {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([JSONNode])
        case object([Member])
    }

    struct Member: Sendable {
        var key: String
        var keyPosition: SourcePosition
        var value: JSONNode
    }

    var value: Value
    var position: SourcePosition

    init(_ value: Value, at position: SourcePosition) {
        self.value = value
        self.position = position
    }

    /// The JSON kind as the error messages name it.
    var kindName: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The members when this is an object.
    var members: [Member]? {
        if case .object(let m) = value { return m }
        return nil
    }
}

/// Parses JSON text into ``JSONNode`` with FHIRJSON's scanner (UTF-8 checks, exact number
/// lexemes, positions). Nesting is limited by `maxDepth` and by the thread's stack.
enum PositionedJSONParser {
    /// Parses one whole JSON document; `startLine` is the line of the first byte in the file.
    static func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, startLine: Int, maxDepth: Int, skipByteOrderMark: Bool
    ) throws(FHIRFormatError) -> JSONNode {
        var scanner = JSONScanner(bytes: buffer, limits: JSONLimits(maxDepth: maxDepth, maxBytes: Int.max))
        scanner.line = startLine
        if skipByteOrderMark {
            scanner.skipByteOrderMark()
            scanner.lineStart = scanner.offset
        }
        var stackFloor: UInt = 0
        let node = try parseValue(&scanner, depth: 0, stackFloor: &stackFloor)
        if scanner.peekNonSpace() != 0 || !scanner.atEnd {
            throw scanner.error(.jsonSyntax, "unexpected content after the JSON value")
        }
        return node
    }

    /// Parses bytes held in an array (a convenience for tests and small inputs).
    static func parse(_ bytes: [UInt8], startLine: Int = 1, maxDepth: Int = 32) throws(FHIRFormatError) -> JSONNode {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(FHIRFormatError) -> JSONNode in
                try parse(buffer, startLine: startLine, maxDepth: maxDepth, skipByteOrderMark: true)
            }
        }
        return try result.get()
    }

    private static func parseValue(_ s: inout JSONScanner, depth: Int, stackFloor: inout UInt)
        throws(FHIRFormatError) -> JSONNode
    {
        if depth >= 16 && depth & 7 == 0 {
            if stackFloor == 0 { stackFloor = max(StackGuard.floor(), 1) }
            guard StackGuard.currentAddress() > stackFloor else {
                throw s.error(.jsonDepthLimit, "nesting too deep for the available stack (depth \(depth))")
            }
        }
        let first = s.peekNonSpace()
        let position = s.position
        switch first {
        case 0x7B:
            guard depth < s.limits.maxDepth else {
                throw s.error(.jsonDepthLimit, "nesting deeper than \(s.limits.maxDepth)")
            }
            s.offset += 1
            var members: [JSONNode.Member] = []
            if s.peekNonSpace() == 0x7D {
                s.offset += 1
                return JSONNode(.object(members), at: position)
            }
            while true {
                guard s.peekNonSpace() == 0x22 else { throw s.error(.jsonSyntax, "expected a property name") }
                let keyPosition = s.position
                let key = try s.readString()
                try s.expect(0x3A, "':'")
                let value = try parseValue(&s, depth: depth + 1, stackFloor: &stackFloor)
                members.append(JSONNode.Member(key: key, keyPosition: keyPosition, value: value))
                let c = s.peekNonSpace()
                s.offset += 1
                if c == 0x2C { continue }
                if c == 0x7D { return JSONNode(.object(members), at: position) }
                s.offset -= 1
                throw s.error(.jsonSyntax, "expected ',' or '}'")
            }
        case 0x5B:
            guard depth < s.limits.maxDepth else {
                throw s.error(.jsonDepthLimit, "nesting deeper than \(s.limits.maxDepth)")
            }
            s.offset += 1
            var items: [JSONNode] = []
            if s.peekNonSpace() == 0x5D {
                s.offset += 1
                return JSONNode(.array(items), at: position)
            }
            while true {
                items.append(try parseValue(&s, depth: depth + 1, stackFloor: &stackFloor))
                let c = s.peekNonSpace()
                s.offset += 1
                if c == 0x2C { continue }
                if c == 0x5D { return JSONNode(.array(items), at: position) }
                s.offset -= 1
                throw s.error(.jsonSyntax, "expected ',' or ']'")
            }
        case 0x22:
            return JSONNode(.string(try s.readString()), at: position)
        case 0x2D, 0x30...0x39:
            return JSONNode(.number(try s.readNumberLexeme()), at: position)
        case 0:
            throw s.error(.jsonSyntax, "unexpected end of input")
        default:
            switch try s.readLiteral() {
            case .bool(let b): return JSONNode(.bool(b), at: position)
            default: return JSONNode(.null, at: position)
            }
        }
    }
}
