import FHIRJSON
import FHIRModel

/// Compares instance elements with the values a profile states in FHIR JSON form: `fixed[x]`
/// (exact equality), `pattern[x]` (the pattern's properties must be present with equal values)
/// and `minValue[x]`/`maxValue[x]` (ordering; see `ValueMatching+Compare.swift`).
///
/// JSON keys are matched against the nodes' wire names, so a choice child `valueQuantity` in the
/// JSON matches the node named `value` of type `Quantity`; a primitive's `_name` companion (its
/// `id` and `extension`) is matched against the primitive node's children.
enum ValueMatching {
    /// How deep a fixed or pattern value may nest before the comparison gives up (no match).
    static let maxDepth = 64

    /// Whether the node equals the fixed value exactly: the same properties (a node may carry
    /// `id` and `extension` that the fixed value does not mention, as the reference validator
    /// allows), arrays of the same length matched in order, primitives with the same lexeme
    /// (decimals: the same value written to the same precision).
    static func matches(_ node: ElementNode, fixed: ElementDefinitionInfo.TypedValue) -> Bool {
        guard typeAgrees(node, fixed) else { return false }
        return match(node, fixed.value, companion: fixed.companion, mode: .fixed, depth: 0)
    }

    /// Whether the node has every property of the pattern with an equal value: extra properties
    /// are allowed; every item of a pattern array must be matched by some item of the node.
    static func matches(_ node: ElementNode, pattern: ElementDefinitionInfo.TypedValue) -> Bool {
        guard typeAgrees(node, pattern) else { return false }
        return match(node, pattern.value, companion: pattern.companion, mode: .pattern, depth: 0)
    }

    enum Mode { case fixed, pattern }

    /// A choice node states its type: it must be the value's type. (Other nodes get their type
    /// from the element, which the value was written for.)
    private static func typeAgrees(_ node: ElementNode, _ value: ElementDefinitionInfo.TypedValue) -> Bool {
        guard node.isChoice, let type = node.typeName, !value.type.isEmpty else { return true }
        return type == value.type
    }

    /// One node against one JSON value (never an array: arrays are matched by the caller against
    /// the repeats of an element).
    static func match(_ node: ElementNode, _ json: JSONValue, companion: JSONValue?, mode: Mode, depth: Int) -> Bool {
        guard depth < maxDepth else { return false }
        switch json {
        case .object(let object):
            return matchObject(node, object, mode: mode, depth: depth)
        case .string, .number, .bool:
            guard let lexeme = node.value, primitiveEqual(lexeme, json, mode: mode) else { return false }
            return matchCompanion(node, companion, mode: mode, depth: depth)
        case .null:
            // An array position whose value is only in the companion (`"given": [null]`).
            if mode == .fixed && node.value != nil { return false }
            return matchCompanion(node, companion, mode: mode, depth: depth)
        case .array:
            return false
        }
    }

    /// A primitive lexeme against a JSON primitive.
    static func primitiveEqual(_ lexeme: String, _ json: JSONValue, mode: Mode) -> Bool {
        switch json {
        case .string(let s):
            return lexeme == s
        case .bool(let b):
            return lexeme == (b ? "true" : "false")
        case .number(let n):
            if lexeme == n { return true }
            guard let a = FHIRDecimal(lexeme), let b = FHIRDecimal(n), a == b else { return false }
            // Fixed decimals must be stated to the same precision (`1.0` is not `1.00`).
            return mode == .pattern || a.exponent == b.exponent
        default:
            return false
        }
    }

    /// A primitive's `id`/`extension` against the `_name` companion object.
    private static func matchCompanion(_ node: ElementNode, _ companion: JSONValue?, mode: Mode, depth: Int) -> Bool {
        guard let companion, case .object(let object) = companion else { return true }
        return matchObject(node, object, mode: mode, depth: depth)
    }

    /// A complex node (or a primitive's companion) against a JSON object.
    private static func matchObject(_ node: ElementNode, _ object: JSONObject, mode: Mode, depth: Int) -> Bool {
        var named: Set<String> = []
        for (key, value) in object.pairs {
            let name: String
            let json: JSONValue
            let companion: JSONValue?
            if key.hasPrefix("_") {
                name = String(key.dropFirst())
                // `_x` with `x` present is handled with `x`; alone it is a value-less primitive.
                guard object[name] == nil else { continue }
                json = .null
                companion = value
            } else {
                name = key
                json = value
                companion = object["_" + key]
            }
            if name == "resourceType" {
                guard node.typeName == value.stringValue else { return false }
                continue
            }
            named.insert(name)
            let children = node.children.filter { $0.wireName == name }
            guard matchProperty(children, json, companion: companion, mode: mode, depth: depth + 1) else {
                return false
            }
        }
        guard mode == .fixed else { return true }
        // Fixed: the node may not have properties the fixed value lacks (its own id and
        // extensions excepted).
        for child in node.children where !named.contains(child.wireName) {
            if child.name == "id" || child.name == "extension" { continue }
            return false
        }
        return true
    }

    /// The repeats of one property against its JSON value (an array or a single value).
    private static func matchProperty(
        _ children: [ElementNode], _ json: JSONValue, companion: JSONValue?, mode: Mode, depth: Int
    ) -> Bool {
        let items: [JSONValue]
        let companions: [JSONValue?]
        if case .array(let values) = json {
            items = values
            let extra = companion?.arrayValue ?? []
            companions = values.indices.map { $0 < extra.count ? extra[$0] : nil }
        } else if case .null = json, let array = companion?.arrayValue {
            items = array.map { _ in JSONValue.null }
            companions = array.map { Optional($0) }
        } else {
            items = [json]
            companions = [companion]
        }
        switch mode {
        case .fixed:
            guard children.count == items.count else { return false }
            for (i, child) in children.enumerated()
            where !match(child, items[i], companion: companions[i], mode: .fixed, depth: depth) {
                return false
            }
            return true
        case .pattern:
            for (i, item) in items.enumerated() {
                let found = children.contains {
                    match($0, item, companion: companions[i], mode: .pattern, depth: depth)
                }
                if !found { return false }
            }
            return true
        }
    }
}
