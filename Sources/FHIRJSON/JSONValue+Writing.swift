/// Writing raw JSON values: the one JSON writer for everything that is not a FHIR tree
/// (command output, package indexes, benchmark records). Keys keep their order; numbers are
/// written from their lexemes; strings get RFC 8259 escaping.
extension JSONValue {
    /// The value as UTF-8 JSON, compact or with 2-space indentation.
    public func serialized(pretty: Bool = false) -> [UInt8] {
        var out = JSONOutput(pretty: pretty, capacity: 256)
        write(into: &out)
        return out.bytes
    }

    /// The value as JSON text (pretty output ends with a newline).
    public func text(pretty: Bool = false) -> String {
        var bytes = serialized(pretty: pretty)
        if pretty { bytes.append(0x0A) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A JSON string literal for `text`, quotes included.
    public static func quoted(_ text: String) -> String {
        JSONValue.string(text).text()
    }

    /// An object from key/value pairs in order (a later duplicate key is ignored).
    public static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(pairs))
    }

    /// A number from an integer.
    public static func number(_ n: Int) -> JSONValue {
        .number(String(n))
    }

    /// A string, or null when nil.
    public static func optional(_ text: String?) -> JSONValue {
        text.map { .string($0) } ?? .null
    }

    private func write(into out: inout JSONOutput) {
        switch self {
        case .null: out.null()
        case .bool(let b): out.raw(b ? "true" : "false")
        case .number(let n): out.raw(n)
        case .string(let s): out.string(s)
        case .array(let items):
            out.open(0x5B)
            for (i, item) in items.enumerated() {
                out.separator(first: i == 0)
                item.write(into: &out)
            }
            out.close(0x5D, empty: items.isEmpty)
        case .object(let object):
            out.open(0x7B)
            for (i, (key, value)) in object.pairs.enumerated() {
                out.separator(first: i == 0)
                out.key(key)
                value.write(into: &out)
            }
            out.close(0x7D, empty: object.count == 0)
        }
    }
}
