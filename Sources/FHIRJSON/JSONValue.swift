import FHIRModel

/// A raw JSON value that keeps number lexemes exactly and object keys in order.
///
/// Used for reading definitions and package manifests, and for comparing JSON documents in
/// tests. FHIR resources are read into ``ElementNode`` trees by ``FHIRJSONReader`` instead.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, as its exact lexeme (`1.10` stays `1.10`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public subscript(key: String) -> JSONValue? {
        guard case .object(let o) = self else { return nil }
        return o[key]
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Parses a whole JSON document. Duplicate keys, invalid UTF-8, nesting beyond the limit and
    /// trailing content are errors.
    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = .default)
        throws(FHIRFormatError) -> JSONValue
    {
        let contiguous = Array(bytes)
        return try contiguous.withUnsafeBufferPointer { (buf) throws(FHIRFormatError) -> JSONValue in
            try parse(buffer: buf, limits: limits)
        }
    }

    public static func parse(_ text: String, limits: JSONLimits = .default) throws(FHIRFormatError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    package static func parse(buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits) throws(FHIRFormatError)
        -> JSONValue
    {
        guard buffer.count <= limits.maxBytes else {
            throw FHIRFormatError(
                .jsonSizeLimit, "input of \(buffer.count) bytes exceeds the limit of \(limits.maxBytes)")
        }
        var scanner = JSONScanner(bytes: buffer, limits: limits)
        scanner.skipByteOrderMark()
        return try JSONDocumentParser<Builder>.parseDocument(&scanner)
    }

    /// Plain values: no positions; a duplicate key is an error at the key.
    enum Builder: JSONDocumentBuilder {
        static let recordsPositions = false
        static func null(at position: SourcePosition) -> JSONValue { .null }
        static func bool(_ value: Bool, at position: SourcePosition) -> JSONValue { .bool(value) }
        static func number(_ lexeme: String, at position: SourcePosition) -> JSONValue { .number(lexeme) }
        static func string(_ value: String, at position: SourcePosition) -> JSONValue { .string(value) }
        static func array(_ items: [JSONValue], at position: SourcePosition) -> JSONValue { .array(items) }
        static func emptyObject() -> JSONObject { JSONObject() }
        static func append(_ key: String, at keyPosition: SourcePosition, value: JSONValue, to object: inout JSONObject)
            throws(FHIRFormatError)
        {
            guard object.append(key, value) else {
                throw FHIRFormatError(.jsonDuplicateKey, "duplicate property '\(key)'", position: keyPosition)
            }
        }
        static func object(_ object: JSONObject, at position: SourcePosition) -> JSONValue { .object(object) }
    }
}

/// A JSON object with keys in document order and O(1) lookup.
public struct JSONObject: Sendable, Equatable {
    public private(set) var keys: [String] = []
    public private(set) var values: [JSONValue] = []
    private var index: [String: Int] = [:]

    public init() {}

    public init(_ pairs: [(String, JSONValue)]) {
        for (k, v) in pairs { _ = append(k, v) }
    }

    /// Adds a key; returns `false` (and changes nothing) when the key is already present.
    @discardableResult
    public mutating func append(_ key: String, _ value: JSONValue) -> Bool {
        if index[key] != nil { return false }
        index[key] = values.count
        keys.append(key)
        values.append(value)
        return true
    }

    public subscript(key: String) -> JSONValue? {
        guard let i = index[key] else { return nil }
        return values[i]
    }

    public var count: Int { keys.count }

    public var pairs: Zip2Sequence<[String], [JSONValue]> { zip(keys, values) }

    /// Objects compare equal as JSON values: same keys and values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.keys.count == rhs.keys.count else { return false }
        for (k, v) in lhs.pairs {
            guard let other = rhs[k], other == v else { return false }
        }
        return true
    }
}
