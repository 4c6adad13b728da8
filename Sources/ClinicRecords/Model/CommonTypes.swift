import FHIRModel

/// The UCUM units the format accepts in `{value, unit}` quantities (each field allows a subset).
public enum RecordUnit: String, Sendable, Hashable, CaseIterable {
    case mg
    case mgPerKg = "mg/kg"
    case mgPerHour = "mg/h"
    case mgPerKgPerHour = "mg/kg/h"
    case mLPerHour = "mL/h"
    case kg
    case pound = "[lb_av]"
}

/// A measured amount kept exactly as written (`0.50` stays `0.50`) with its UCUM unit.
public struct RecordQuantity: Sendable, Hashable {
    public var value: FHIRDecimal
    public var unit: RecordUnit

    public init(value: FHIRDecimal, unit: RecordUnit) {
        self.value = value
        self.unit = unit
    }

    /// The plausible maximum of a value in each unit (doses, rates, weights); values must be above 0.
    static func maximum(_ unit: RecordUnit) -> Int {
        switch unit {
        case .mg: 1_000
        case .mgPerKg: 10
        case .mgPerHour: 500
        case .mgPerKgPerHour: 5
        case .mLPerHour: 1_000
        case .kg: 350
        case .pound: 770
        }
    }

    /// Reads `{ "value": number, "unit": "..." }`. A bare number is an error: it has no unit.
    static func read(_ node: JSONNode, units: [RecordUnit], path: String, diagnostics: RecordDiagnostics)
        -> RecordQuantity?
    {
        let allowed = units.map(\.rawValue).joined(separator: " | ")
        if case .number = node.value {
            diagnostics.error(
                .recordWrongType, "a bare number has no unit: write {\"value\": ..., \"unit\": \(allowed)}",
                path: path, at: node.position)
            return nil
        }
        guard let f = Fields(node, path: path, diagnostics: diagnostics) else { return nil }
        defer { f.finish() }
        let unit: RecordUnit?
        if let unitNode = f.node("unit", required: true) {
            if case .string(let s) = unitNode.value, let u = RecordUnit(rawValue: s), units.contains(u) {
                unit = u
            } else if case .string = unitNode.value {
                diagnostics.error(
                    .recordInvalidCode, "unit not allowed here: use \(allowed)", path: f.childPath("unit"),
                    at: unitNode.position)
                unit = nil
            } else {
                diagnostics.wrongType(unitNode, expected: "a unit (string)", path: f.childPath("unit"))
                unit = nil
            }
        } else {
            unit = nil
        }
        guard let valueNode = f.node("value", required: true) else { return nil }
        let range = DecimalRange.positive(max: unit.map { maximum($0) }, unit?.rawValue ?? "")
        guard let value = ValueReader.decimal(valueNode, range, path: f.childPath("value"), diagnostics: diagnostics),
            let unit
        else { return nil }
        return RecordQuantity(value: value, unit: unit)
    }
}

/// A person's name: family name required, given names in order.
public struct PersonName: Sendable, Hashable {
    public var family: String
    public var given: [String]
    public var prefix: String?
    public var suffix: String?

    public init(family: String, given: [String] = [], prefix: String? = nil, suffix: String? = nil) {
        self.family = family
        self.given = given
        self.prefix = prefix
        self.suffix = suffix
    }

    static func read(_ f: Fields) -> PersonName? {
        let family = f.string("family", required: true)
        let given = f.strings("given") ?? []
        let prefix = f.string("prefix")
        let suffix = f.string("suffix")
        guard let family else { return nil }
        return PersonName(family: family, given: given, prefix: prefix, suffix: suffix)
    }
}

/// A postal address (US): street lines, city, two-letter state, ZIP code.
public struct PostalAddress: Sendable, Hashable {
    public var lines: [String]
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?

    public init(
        lines: [String], city: String? = nil, state: String? = nil, postalCode: String? = nil, country: String? = nil
    ) {
        self.lines = lines
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
    }

    static func read(_ f: Fields) -> PostalAddress? {
        let lines = f.strings("line") ?? []
        let city = f.string("city")
        let state = f.formatted("state", .usState)
        let postalCode = f.formatted("postalCode", .usPostalCode)
        let country = f.string("country")
        if lines.isEmpty && city == nil && postalCode == nil && !f.has("line") && !f.has("city")
            && !f.has("postalCode")
        {
            f.fail("city", .recordMissingField, "an address needs at least a line, a city or a postal code")
        }
        return PostalAddress(lines: lines, city: city, state: state, postalCode: postalCode, country: country)
    }
}

/// A phone number or e-mail address.
public struct ContactPoint: Sendable, Hashable {
    public enum System: String, Sendable, CaseIterable { case phone, email, fax, sms }
    public enum Use: String, Sendable, CaseIterable { case home, work, mobile }

    public var system: System
    public var value: String
    public var use: Use?

    public init(system: System, value: String, use: Use? = nil) {
        self.system = system
        self.value = value
        self.use = use
    }

    static func read(_ f: Fields) -> ContactPoint? {
        let system = f.code("system", System.self, required: true)
        let rule: FormatRule = system == .email ? .email : .phone
        let value = f.formatted("value", rule, required: true)
        let use = f.code("use", Use.self)
        guard let system, let value else { return nil }
        return ContactPoint(system: system, value: value, use: use)
    }
}

/// A diagnosis or reason: an ICD-10-CM code with optional text.
public struct ReasonCode: Sendable, Hashable {
    public var icd10: String
    public var text: String?

    public init(icd10: String, text: String? = nil) {
        self.icd10 = icd10
        self.text = text
    }

    /// ICD-10-CM F10-F19: a substance use disorder (42 CFR Part 2 handling).
    public var isSubstanceUseDisorder: Bool {
        let b = Array(icd10.utf8)
        return b.count >= 3 && b[0] == 0x46 && b[1] == 0x31 && FormatRule.isDigit(b[2])
    }

    static func read(_ f: Fields) -> ReasonCode? {
        let code = f.formatted("icd10", .icd10cm, required: true)
        let text = f.string("text")
        guard let code else { return nil }
        return ReasonCode(icd10: code, text: text)
    }
}

/// A span of calendar dates; `end` is inclusive and not before `start`.
public struct DatePeriod: Sendable, Hashable {
    public var start: FHIRDate
    public var end: FHIRDate?

    public init(start: FHIRDate, end: FHIRDate? = nil) {
        self.start = start
        self.end = end
    }

    static func read(_ f: Fields) -> DatePeriod? {
        let start = f.date("start", required: true)
        let end = f.date("end")
        guard let start else { return nil }
        if let end, end.compare(start) == .less {
            f.fail("end", .recordImpossibleValue, "the end is before the start")
            return nil
        }
        return DatePeriod(start: start, end: end)
    }
}

extension Fields {
    /// Reports `laterKey` when its time is before `earlier` (or equal, unless `allowEqual`).
    /// Returns false when the order is wrong.
    @discardableResult
    func checkOrder(
        _ earlier: FHIRDateTime?, _ later: FHIRDateTime?, laterKey: String, allowEqual: Bool = false,
        what: String = "the start"
    ) -> Bool {
        guard let earlier, let later, let order = later.compare(earlier) else { return true }
        if order == .less || (order == .equal && !allowEqual) {
            fail(laterKey, .recordImpossibleValue, allowEqual ? "must not be before \(what)" : "must be after \(what)")
            return false
        }
        return true
    }
}
