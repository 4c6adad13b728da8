import FHIRGate

/// Prints a FHIRPath result collection for `fhirgate fhirpath`: text (one item a line) or a JSON
/// array of `{"type": ..., "value": ...}` objects.
struct FHIRPathResultOutput {
    let model: ModelInfo
    let writer: FHIRJSONWriter

    init(model: ModelInfo) {
        self.model = model
        self.writer = FHIRJSONWriter(model: model)
    }

    /// One line per item: the type name, a tab, the value.
    func text(_ items: [FHIRPathValue]) -> String {
        var out = ""
        for item in items {
            out += item.type(in: model).description
            out += "\t"
            out += textValue(item)
            out += "\n"
        }
        return out
    }

    /// A JSON array of `{"type": ..., "value": ...}` (with a final newline).
    func json(_ items: [FHIRPathValue]) -> [UInt8] {
        let array = JSONValue.array(
            items.map { .object([("type", .string($0.type(in: model).description)), ("value", jsonValue($0))]) })
        var bytes = array.serialized()
        bytes.append(0x0A)
        return bytes
    }

    func textValue(_ item: FHIRPathValue) -> String {
        switch item {
        case .boolean(let b): return b ? "true" : "false"
        case .string(let s): return escapingControls(s)
        case .integer(let i), .long(let i): return String(i)
        case .decimal(let d): return d.lexeme
        case .date(let d), .dateTime(let d): return d.lexeme
        case .time(let t): return t.lexeme
        case .quantity(let q): return q.description
        case .node(let n):
            if n.element.isPrimitive, let value = n.element.value { return escapingControls(value) }
            return writer.writeString(n.element)
        }
    }

    func jsonValue(_ item: FHIRPathValue) -> JSONValue {
        switch item {
        case .boolean(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .integer(let i), .long(let i): return .number(i)
        case .decimal(let d): return decimalNumber(d)
        case .date(let d), .dateTime(let d): return .string(d.lexeme)
        case .time(let t): return .string(t.lexeme)
        case .quantity(let q): return .object([("value", decimalNumber(q.value)), ("unit", .string(q.unit))])
        case .node(let n):
            guard n.element.isPrimitive else { return writer.writeValue(n.element) }
            guard n.element.value != nil, let system = n.systemValue else { return .null }
            if case .string = system, let value = n.element.value { return .string(value) }
            return jsonValue(system)
        }
    }

    /// A decimal as a JSON number with its digits as written (plain notation when the lexeme is
    /// not a JSON number).
    private func decimalNumber(_ d: FHIRDecimal) -> JSONValue {
        Self.isJSONNumber(d.lexeme) ? .number(d.lexeme) : .number(d.plainString)
    }

    /// RFC 8259 number syntax: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        let b = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        let leadingZero = i < b.count && b[i] == 0x30
        let whole = digits()
        guard whole > 0, !(leadingZero && whole > 1) else { return false }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }

    /// Control characters as `\n`, `\r`, `\t` or `\u{XX}`, so each item stays on one line.
    private func escapingControls(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
