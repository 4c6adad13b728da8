import FHIRModel

/// Equality and order between answer values (`answer.value[x]`, `answerOption.value[x]`,
/// `enableWhen.answer[x]`), all `ElementNode`s whose `typeName` is the chosen type.
enum AnswerValueComparison {
    /// How values of a type compare.
    enum Kind {
        case boolean, number, temporal, time, string, coding, quantity, reference, other
    }

    static func kind(of typeName: String?) -> Kind {
        switch typeName {
        case "boolean": .boolean
        case "decimal", "integer", "unsignedInt", "positiveInt": .number
        case "date", "dateTime", "instant": .temporal
        case "time": .time
        case "string", "uri", "url", "canonical", "code", "id", "oid", "uuid", "markdown": .string
        case "Coding": .coding
        case "Quantity", "Age", "Duration", "Distance", "Count", "SimpleQuantity", "MoneyQuantity": .quantity
        case "Reference": .reference
        default: .other
        }
    }

    /// Whether `a` equals `b`; `nil` when they are of kinds that do not compare or either has no
    /// value. For codings, a system missing on either side is not compared when `lenientSystem`.
    static func equal(_ a: ElementNode, _ b: ElementNode, lenientSystem: Bool = true) -> Bool? {
        let ka = kind(of: a.typeName)
        guard ka == kind(of: b.typeName) else { return nil }
        switch ka {
        case .boolean:
            guard let x = a.booleanValue, let y = b.booleanValue else { return nil }
            return x == y
        case .coding:
            guard let x = a.childValue("code"), let y = b.childValue("code") else { return nil }
            let sx = a.childValue("system")
            let sy = b.childValue("system")
            if lenientSystem && (sx == nil || sy == nil) { return x == y }
            return x == y && sx == sy
        case .reference:
            guard let x = a.childValue("reference"), let y = b.childValue("reference") else { return nil }
            return x == y
        case .string:
            guard let x = a.value, let y = b.value else { return nil }
            return x == y
        case .number, .temporal, .time, .quantity:
            return compare(a, b).map { $0 == .equal }
        case .other:
            return nil
        }
    }

    /// The order of `a` relative to `b`; `nil` when they do not compare (different kinds,
    /// different precisions, quantities in different units, no value).
    static func compare(_ a: ElementNode, _ b: ElementNode) -> FHIRComparison? {
        let ka = kind(of: a.typeName)
        guard ka == kind(of: b.typeName) else { return nil }
        switch ka {
        case .number:
            guard let x = a.decimalValue, let y = b.decimalValue else { return nil }
            return x.compare(y)
        case .temporal:
            guard let x = a.dateTimeValue, let y = b.dateTimeValue else { return nil }
            return x.compare(y)
        case .time:
            guard let x = a.timeValue, let y = b.timeValue else { return nil }
            return x.compare(y)
        case .string:
            guard let x = a.value, let y = b.value else { return nil }
            if x == y { return .equal }
            return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? .less : .greater
        case .quantity:
            guard sameUnit(a, b), let x = a.child(named: "value")?.decimalValue,
                let y = b.child(named: "value")?.decimalValue
            else { return nil }
            return x.compare(y)
        case .boolean, .coding, .reference, .other:
            return nil
        }
    }

    /// Quantities are compared only in the same unit: the same system and code when both have a
    /// code, else the same human unit.
    private static func sameUnit(_ a: ElementNode, _ b: ElementNode) -> Bool {
        if let ca = a.childValue("code"), let cb = b.childValue("code") {
            return ca == cb && a.childValue("system") == b.childValue("system")
        }
        return a.childValue("unit") == b.childValue("unit")
    }
}
