import FHIRJSON
import FHIRModel

extension ValueMatching {
    /// Orders the node against a `minValue[x]`/`maxValue[x]` bound: -1 when the node is below
    /// the bound, 0 when equal, 1 when above; `nil` when they cannot be compared (no value, a
    /// lexeme that does not parse, dates to different precisions whose shared part is equal,
    /// quantities in different units, types that have no order).
    ///
    /// Numbers (integer, positiveInt, unsignedInt, integer64, decimal) compare exactly as
    /// decimals; date, dateTime and instant as FHIR date-times; time as times; Quantity by value
    /// when both state the same unit code (and the same system, when both state one).
    static func compare(_ node: ElementNode, _ bound: ElementDefinitionInfo.TypedValue) -> Int? {
        switch bound.type {
        case "integer", "positiveInt", "unsignedInt", "integer64", "decimal":
            guard let a = node.value.flatMap(FHIRDecimal.init),
                let b = lexeme(of: bound.value).flatMap(FHIRDecimal.init)
            else { return nil }
            return sign(a.compare(b))
        case "date", "dateTime", "instant":
            guard let a = node.value.flatMap({ FHIRDateTime($0) }),
                let b = lexeme(of: bound.value).flatMap({ FHIRDateTime($0) })
            else { return nil }
            return a.compare(b).map(sign)
        case "time":
            guard let a = node.value.flatMap({ FHIRTime($0) }),
                let b = lexeme(of: bound.value).flatMap({ FHIRTime($0) })
            else { return nil }
            return a.compare(b).map(sign)
        case "Quantity", "Age", "Count", "Distance", "Duration", "SimpleQuantity", "MoneyQuantity":
            return compareQuantity(node, bound.value)
        default:
            return nil
        }
    }

    /// A quantity node against a Quantity bound in the same unit.
    private static func compareQuantity(_ node: ElementNode, _ bound: JSONValue) -> Int? {
        guard node.value == nil, let value = node.childValue("value").flatMap(FHIRDecimal.init),
            let limit = bound["value"].flatMap(lexeme(of:)).flatMap(FHIRDecimal.init)
        else { return nil }
        let code = node.childValue("code")
        let limitCode = bound["code"]?.stringValue
        if code != nil || limitCode != nil {
            guard code == limitCode else { return nil }
            if let system = node.childValue("system"), let limitSystem = bound["system"]?.stringValue,
                system != limitSystem
            {
                return nil
            }
        } else {
            // Neither states a code: only the same written unit makes them comparable.
            guard node.childValue("unit") == bound["unit"]?.stringValue else { return nil }
        }
        return sign(value.compare(limit))
    }

    /// The lexeme of a JSON primitive (numbers keep their written form).
    private static func lexeme(of json: JSONValue) -> String? {
        switch json {
        case .number(let n): n
        case .string(let s): s
        default: nil
        }
    }

    private static func sign(_ order: FHIRComparison) -> Int {
        switch order {
        case .less: -1
        case .equal: 0
        case .greater: 1
        }
    }
}
