import FHIRGate
import FHIRGateTesting

/// How the runner compares a result collection with a test's `<output>` elements.
///
/// - A typed output matches an item of exactly that type: a System value by its System type
///   (`boolean`, `integer`, `long`, `decimal`, `string`, `date`, `dateTime`, `time`, `Quantity`),
///   a FHIR element by its FHIR type code (`code`, `id`, `string`, `date`...).
/// - Values: booleans and strings exactly; integers and decimals numerically; dates, date-times
///   and times by lexeme (`@2015-02-04`, `@T14:34:28`); quantities by numeric value and exact unit
///   (`4 'g'` is UCUM, `1 year` a calendar duration).
/// - An untyped output matches the item's text form exactly (decimals keep their stated
///   precision: `1.58650000`; quantities as `1.58650000 'cm'`).
enum FHIRPathSuiteMatching {
    /// The type name and text form of a result item, as the suite writes them.
    static func render(_ value: FHIRPathValue) -> (type: String, text: String) {
        switch value {
        case .node(let n):
            let type = n.typeName ?? "Element"
            guard n.element.isPrimitive || n.typeName == nil else {
                if case .quantity(let q)? = n.systemValue { return (type, text(of: q)) }
                return (type, "{\(type)}")
            }
            guard let system = n.systemValue else { return (type, "{no value}") }
            return (type, render(system).text)
        case .boolean(let b): return ("boolean", b ? "true" : "false")
        case .string(let s): return ("string", s)
        case .integer(let i): return ("integer", String(i))
        case .long(let i): return ("long", String(i))
        case .decimal(let d): return ("decimal", d.plainString)
        case .date(let d): return ("date", "@" + d.lexeme)
        case .dateTime(let d): return ("dateTime", "@" + d.lexeme)
        case .time(let t): return ("time", "@T" + t.lexeme)
        case .quantity(let q): return ("Quantity", text(of: q))
        }
    }

    static func text(of q: FHIRPathQuantity) -> String {
        q.isCalendarDuration ? "\(q.value.plainString) \(q.unit)" : "\(q.value.plainString) '\(q.unit)'"
    }

    /// Whether one result item matches one expected output.
    static func matches(_ value: FHIRPathValue, _ output: FHIRPathSuiteCase.Output) -> Bool {
        let (type, text) = render(value)
        guard let expectedType = output.type else { return text == output.text }
        guard type == expectedType else { return false }
        switch expectedType {
        case "integer", "long":
            guard let expected = Int(output.text), let got = Int(text) else { return false }
            return expected == got
        case "decimal":
            guard let expected = FHIRDecimal(output.text), let got = FHIRDecimal(text) else { return false }
            return expected.compare(got) == .equal
        case "Quantity":
            guard let expected = parseQuantity(output.text) else { return false }
            let q: FHIRPathQuantity?
            if case .quantity(let v)? = value.systemValue { q = v } else { q = nil }
            guard let q else { return false }
            return q.value.compare(expected.value) == .equal && q.unit == expected.unit
                && q.isCalendarDuration == expected.isCalendarDuration
        default:
            return text == output.text
        }
    }

    /// `4 'g'` (UCUM) or `1 year` (calendar duration).
    static func parseQuantity(_ text: String) -> FHIRPathQuantity? {
        guard let space = text.firstIndex(of: " "), let value = FHIRDecimal(String(text[..<space])) else {
            return nil
        }
        let unit = text[text.index(after: space)...]
        if unit.count >= 2, unit.hasPrefix("'"), unit.hasSuffix("'") {
            return FHIRPathQuantity(value: value, unit: String(unit.dropFirst().dropLast()))
        }
        guard let keyword = FHIRPathQuantity.calendarKeyword(String(unit)) else { return nil }
        return FHIRPathQuantity(value: value, unit: keyword, isCalendarDuration: true)
    }

    /// Compares a result with the expected outputs; nil when they match, else the reason.
    static func mismatch(_ result: [FHIRPathValue], _ outputs: [FHIRPathSuiteCase.Output], ordered: Bool) -> String? {
        guard result.count == outputs.count else { return "expected \(outputs.count) items, got \(result.count)" }
        if ordered {
            for (i, (value, output)) in zip(result, outputs).enumerated() where !matches(value, output) {
                return "item \(i): expected \(describe(output)), got \(describe(value))"
            }
            return nil
        }
        var unused = Array(result.indices)
        for output in outputs {
            guard let at = unused.firstIndex(where: { matches(result[$0], output) }) else {
                return "no item matches \(describe(output))"
            }
            unused.remove(at: at)
        }
        return nil
    }

    /// The suite's boolean reduction for `predicate="true"`: a single boolean stays itself, an
    /// empty collection is false, anything else is true.
    static func predicate(_ result: [FHIRPathValue]) -> [FHIRPathValue] {
        if result.count == 1, case .boolean(let b)? = result[0].systemValue { return [.boolean(b)] }
        return [.boolean(!result.isEmpty)]
    }

    static func describe(_ output: FHIRPathSuiteCase.Output) -> String {
        "\(output.type ?? "(untyped)") \(output.text)"
    }

    static func describe(_ value: FHIRPathValue) -> String {
        let (type, text) = render(value)
        return "\(type) \(text)"
    }

    static func describe(_ result: [FHIRPathValue]) -> String {
        "[" + result.prefix(10).map(describe).joined(separator: ", ") + (result.count > 10 ? ", ...]" : "]")
    }
}
