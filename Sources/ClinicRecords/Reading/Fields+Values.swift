import FHIRModel

/// Typed field reads. Each reports what is wrong (wrong JSON type, bad form, unknown code,
/// impossible value) at the value's position and returns nil, so the caller goes on and every
/// problem of a record is reported.
extension Fields {
    /// A non-empty string (surrounding spaces allowed, an all-blank string is not).
    func string(_ key: String, required: Bool = false, maxLength: Int = 1_000) -> String? {
        guard let node = node(key, required: required) else { return nil }
        return ValueReader.string(node, path: childPath(key), diagnostics: diagnostics, maxLength: maxLength)
    }

    /// Free text (notes, letters): a longer limit than names and codes.
    func text(_ key: String, required: Bool = false) -> String? {
        string(key, required: required, maxLength: 1 << 20)
    }

    /// A string checked by a format rule (NPI, ICD-10-CM, phone...).
    func formatted(_ key: String, _ rule: FormatRule, required: Bool = false) -> String? {
        guard let node = node(key, required: required) else { return nil }
        return ValueReader.formatted(node, rule, path: childPath(key), diagnostics: diagnostics)
    }

    /// A record id or a reference to one (``FormatRule/identifier``).
    func identifier(_ key: String, required: Bool = false) -> String? {
        formatted(key, .identifier, required: required)
    }

    /// One of the codes of `E` (its raw values).
    func code<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = false) -> E?
    where E.RawValue == String {
        guard let node = node(key, required: required) else { return nil }
        return ValueReader.code(node, type, path: childPath(key), diagnostics: diagnostics)
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let node = node(key, required: required) else { return nil }
        guard case .bool(let b) = node.value else {
            diagnostics.wrongType(node, expected: "true or false", path: childPath(key))
            return nil
        }
        return b
    }

    /// A whole number within `range`.
    func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let node = node(key, required: required) else { return nil }
        return ValueReader.integer(node, in: range, path: childPath(key), diagnostics: diagnostics)
    }

    /// A number kept exactly as written, checked against a plausible range (`above`: exclusive
    /// lower bound; `atLeast`: inclusive).
    func decimal(_ key: String, _ range: DecimalRange, required: Bool = false) -> FHIRDecimal? {
        guard let node = node(key, required: required) else { return nil }
        return ValueReader.decimal(node, range, path: childPath(key), diagnostics: diagnostics)
    }

    /// A calendar date `YYYY-MM-DD`.
    func date(_ key: String, required: Bool = false) -> FHIRDate? {
        guard let node = node(key, required: required) else { return nil }
        return ValueReader.date(node, path: childPath(key), diagnostics: diagnostics)
    }

    /// A date and time with seconds and an offset (`2026-03-10T10:00:00-04:00`).
    func dateTime(_ key: String, required: Bool = false) -> FHIRDateTime? {
        guard let node = node(key, required: required) else { return nil }
        return ValueReader.dateTime(node, path: childPath(key), diagnostics: diagnostics)
    }

    /// A `{value, unit}` object whose unit is one of `units`.
    func quantity(_ key: String, units: [RecordUnit], required: Bool = false) -> RecordQuantity? {
        guard let node = node(key, required: required) else { return nil }
        return RecordQuantity.read(node, units: units, path: childPath(key), diagnostics: diagnostics)
    }

    /// A nested object read by `read` (its unknown fields are reported after it).
    func object<T>(_ key: String, required: Bool = false, _ read: (Fields) -> T?) -> T? {
        guard let node = node(key, required: required),
            let fields = Fields(node, path: childPath(key), diagnostics: diagnostics)
        else { return nil }
        let value = read(fields)
        fields.finish()
        return value
    }

    /// An array whose items are read by `read` with their path (`key[i]`). Items that fail are
    /// left out; nil only when the field is absent or not an array.
    func array<T>(
        _ key: String, required: Bool = false, nonEmpty: Bool = false, maxCount: Int = 10_000,
        _ read: (JSONNode, String) -> T?
    ) -> [T]? {
        guard let node = node(key, required: required) else { return nil }
        guard case .array(let items) = node.value else {
            diagnostics.wrongType(node, expected: "an array", path: childPath(key))
            return nil
        }
        if nonEmpty && items.isEmpty {
            fail(key, .recordMissingField, "the array must have at least one item")
        }
        if items.count > maxCount {
            fail(key, .recordImpossibleValue, "more than \(maxCount) items")
            return nil
        }
        var out: [T] = []
        for (i, item) in items.enumerated() {
            if let value = read(item, childPath(key) + "[\(i)]") { out.append(value) }
        }
        return out
    }

    /// An array of objects, each read by `read`.
    func objects<T>(
        _ key: String, required: Bool = false, nonEmpty: Bool = false, maxCount: Int = 10_000,
        _ read: (Fields, Int) -> T?
    ) -> [T]? {
        var index = 0
        return array(key, required: required, nonEmpty: nonEmpty, maxCount: maxCount) { node, path in
            defer { index += 1 }
            guard let fields = Fields(node, path: path, diagnostics: self.diagnostics) else { return nil }
            let value = read(fields, index)
            fields.finish()
            return value
        }
    }

    /// An array of strings, each checked by `rule` (or only for being non-empty).
    func strings(_ key: String, _ rule: FormatRule? = nil, required: Bool = false, nonEmpty: Bool = false)
        -> [String]?
    {
        array(key, required: required, nonEmpty: nonEmpty) { node, path in
            if let rule { return ValueReader.formatted(node, rule, path: path, diagnostics: self.diagnostics) }
            return ValueReader.string(node, path: path, diagnostics: self.diagnostics, maxLength: 1_000)
        }
    }

    /// An array of codes of `E`; a code given twice is an error.
    func codes<E: RawRepresentable & CaseIterable & Hashable>(
        _ key: String, _ type: E.Type, required: Bool = false, nonEmpty: Bool = false
    ) -> [E]? where E.RawValue == String {
        var seen: Set<E> = []
        return array(key, required: required, nonEmpty: nonEmpty) { node, path in
            guard let code = ValueReader.code(node, type, path: path, diagnostics: self.diagnostics) else {
                return nil
            }
            guard seen.insert(code).inserted else {
                self.diagnostics.error(
                    .recordInvalidValue, "the code is listed more than once", path: path, at: node.position)
                return nil
            }
            return code
        }
    }
}
