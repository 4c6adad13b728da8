import FHIRModel
import FHIRPath
import Testing

/// Evaluates literal-only expressions for the quantity and date/time arithmetic tests.
enum QuantityEval {
    static let engine = FHIRPathEngine(model: nil)

    static func values(_ text: String) throws(FHIRPathError) -> [FHIRPathValue] {
        try engine.compile(text).evaluate(input: [])
    }

    /// The single boolean result; `nil` for an empty result.
    static func boolean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool? {
        let r = try values(text)
        if r.isEmpty { return nil }
        guard r.count == 1, case .boolean(let b) = r[0] else {
            Issue.record("expected one boolean from \(text), got \(r)", sourceLocation: sourceLocation)
            return nil
        }
        return b
    }

    /// The single quantity result; `nil` for an empty result.
    static func quantity(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> FHIRPathQuantity?
    {
        let r = try values(text)
        if r.isEmpty { return nil }
        guard r.count == 1, case .quantity(let q) = r[0] else {
            Issue.record("expected one quantity from \(text), got \(r)", sourceLocation: sourceLocation)
            return nil
        }
        return q
    }

    static func q(_ value: String, _ unit: String, calendar: Bool = false) -> FHIRPathQuantity {
        FHIRPathQuantity(value: FHIRDecimal(value) ?? FHIRDecimal(-999), unit: unit, isCalendarDuration: calendar)
    }
}

/// UCUM parsing and canonicalisation, through `=` between quantities in different units.
@Suite struct QuantityUnitTests {
    /// Pairs that must be equal: `1 a` = `b` after conversion.
    @Test(arguments: [
        // mass
        ("1 'g'", "1000 'mg'"), ("1 'kg'", "1000000 'mg'"), ("1 'mg'", "1000 'ug'"), ("1 'ug'", "1000 'ng'"),
        ("185 '[lb_av]'", "83.91458845 'kg'"), ("16 '[oz_av]'", "1 '[lb_av]'"),
        // volume
        ("1 'L'", "1000 'mL'"), ("1 'dL'", "100 'mL'"), ("1 'L'", "10 'dL'"), ("1 'mL'", "1 'cm3'"),
        ("1 'L'", "1 'dm3'"), ("1 'l'", "1 'L'"),
        // time
        ("1 'h'", "60 'min'"), ("1 'min'", "60 's'"), ("1 's'", "1000 'ms'"), ("1 'd'", "24 'h'"),
        ("1 'wk'", "7 'd'"), ("1 'a'", "12 'mo'"), ("1 'a'", "365.25 'd'"),
        // length
        ("1 'm'", "100 'cm'"), ("1 'cm'", "10 'mm'"), ("1 '[in_i]'", "2.54 'cm'"), ("12 '[in_i]'", "1 '[ft_i]'"),
        ("1 'km'", "1000 'm'"),
        // pressure
        ("1 'mm[Hg]'", "133.322 'Pa'"), ("1 'kPa'", "1000 'Pa'"),
        // rates and concentrations
        ("60 '/min'", "1 '/s'"), ("72 '/min'", "4320 '/h'"), ("1 'mL/h'", "24 'mL/d'"), ("1 'mg/dL'", "10 'mg/L'"),
        ("1 'g/L'", "100 'mg/dL'"), ("1 'mmol/L'", "1000 'umol/L'"), ("1 'mg/kg'", "1 'ug/g'"),
        ("1 'mg/kg/h'", "24 'mg/kg/d'"), ("1 'mg/kg/h'", "1 'mg/(kg.h)'"), ("70 'kg/m2'", "7 'g/cm2'"),
        // dimensionless, exponents, annotations, powers of ten
        ("50 '%'", "0.5 '1'"), ("1 'm2'", "10000 'cm2'"), ("1 's-1'", "1 '/s'"), ("1 'Hz'", "1 '/s'"),
        ("1 '{beats}/min'", "1 '/min'"), ("1 '10*3/uL'", "1 '10*9/L'"), ("2 '{score}'", "2 '1'"),
        ("1 'mL{total}'", "1 'mL'"),
        // arbitrary units
        ("1 '[IU]/L'", "1 '[iU]/L'"), ("1000 'm[IU]/mL'", "1 '[IU]/mL'"),
    ])
    func convertsToEqual(a: String, b: String) throws {
        #expect(try QuantityEval.boolean("\(a) = \(b)") == true, "\(a) = \(b)")
        #expect(try QuantityEval.boolean("\(b) = \(a)") == true, "\(b) = \(a)")
        #expect(try QuantityEval.boolean("\(a) ~ \(b)") == true, "\(a) ~ \(b)")
    }

    /// Pairs of different dimensions: `=` and `<` are empty, `~` is false.
    @Test(arguments: [
        ("1 'cm'", "1 's'"), ("1 'cm2'", "1 'cm'"), ("1 'mmol/L'", "1 'mg/dL'"), ("1 'mg/kg/h'", "1 'mg/kg'"),
        ("1 '[IU]'", "1 'mg'"), ("1 'mg'", "1 'mL'"), ("1 '%'", "1 'mg'"),
    ])
    func incomparableDimensions(a: String, b: String) throws {
        #expect(try QuantityEval.boolean("\(a) = \(b)") == nil)
        #expect(try QuantityEval.boolean("\(a) != \(b)") == nil)
        #expect(try QuantityEval.boolean("\(a) < \(b)") == nil)
        #expect(try QuantityEval.boolean("\(a) ~ \(b)") == false)
        #expect(try QuantityEval.boolean("\(a) !~ \(b)") == true)
    }

    /// Units the table does not know (or cannot convert) compare only with the same unit.
    @Test func unknownUnitsCompareOnlyWithThemselves() throws {
        #expect(try QuantityEval.boolean("1 'foo' = 1 'foo'") == true)
        #expect(try QuantityEval.boolean("2 'foo' > 1 'foo'") == true)
        #expect(try QuantityEval.boolean("1 'foo' = 1 'bar'") == nil)
        #expect(try QuantityEval.boolean("1 'foo' ~ 1 'foo'") == true)
        #expect(try QuantityEval.boolean("1 'foo' ~ 1 'bar'") == false)
        #expect(try QuantityEval.boolean("1 'Cel' = 1 'Cel'") == true)
        #expect(try QuantityEval.boolean("1 'Cel' = 274.15 'K'") == nil)
        #expect(try QuantityEval.boolean("1 '[degF]' < 1 'Cel'") == nil)
        // Malformed UCUM: trailing operator, empty component, bad exponent, unbalanced, too deep.
        for bad in ["m/", "m..s", "m999", "(m", "m)", "((((((((((m))))))))))", "mg{x", "10*", "kk g", "m+"] {
            #expect(try QuantityEval.boolean("1 '\(bad)' = 1 'm'") == nil, "\(bad)")
            #expect(try QuantityEval.boolean("1 '\(bad)' = 1 '\(bad)'") == true, "\(bad)")
        }
        // Prefixes only on metric atoms; case matters.
        #expect(try QuantityEval.boolean("1 'k[lb_av]' = 1000 '[lb_av]'") == nil)
        #expect(try QuantityEval.boolean("1 'MG' = 1 'mg'") == nil)
    }

    @Test func orderingAcrossUnits() throws {
        #expect(try QuantityEval.boolean("1 'kg' > 900 'g'") == true)
        #expect(try QuantityEval.boolean("1 'kg' < 1001 'g'") == true)
        #expect(try QuantityEval.boolean("2 '[lb_av]' < 1 'kg'") == true)
        #expect(try QuantityEval.boolean("100 'mg/dL' > 0.5 'g/L'") == true)
        #expect(try QuantityEval.boolean("760 'mm[Hg]' < 1 'atm'") == true)
        #expect(try QuantityEval.boolean("4 'm' >= 4 'cm'") == true)
        #expect(try QuantityEval.boolean("90 'min' <= 1.5 'h'") == true)
        #expect(try QuantityEval.boolean("1 '/min' < 1 '/s'") == true)
    }

    /// `comparable()` and `converted(toUnit:)`, the public conversion API.
    @Test func comparableAndConvertedAPI() throws {
        let cm = QuantityEval.q("1", "cm")
        #expect(cm.isComparable(to: QuantityEval.q("1", "[in_i]")))
        #expect(!cm.isComparable(to: QuantityEval.q("1", "[s]")))
        #expect(!cm.isComparable(to: QuantityEval.q("1", "s")))
        #expect(QuantityEval.q("1", "[s]").isComparable(to: QuantityEval.q("2", "[s]")))

        let grams = QuantityEval.q("1.5", "kg").converted(toUnit: "g")
        #expect(grams?.unit == "g")
        #expect(grams?.value == FHIRDecimal(1500))
        #expect(QuantityEval.q("1", "[lb_av]").converted(toUnit: "kg")?.value.plainString == "0.45359237")
        // Non-terminating: rounded to eight more places than the value has.
        #expect(QuantityEval.q("1", "kg").converted(toUnit: "[lb_av]")?.value.plainString == "2.20462262")
        let months = QuantityEval.q("2", "year", calendar: true).converted(toUnit: "months")
        #expect(months?.unit == "month" && months?.isCalendarDuration == true && months?.value == FHIRDecimal(24))
        #expect(QuantityEval.q("1", "year", calendar: true).converted(toUnit: "days") == nil)
        #expect(QuantityEval.q("3", "day", calendar: true).converted(toUnit: "h")?.value == FHIRDecimal(72))
        #expect(QuantityEval.q("1", "mg").converted(toUnit: "mL") == nil)
    }

    /// Every unit in the table converts to its base unit with the right factor.
    @Test(arguments: [
        ("mol", "1", "6.0221367e23"), ("mmol", "1", "6.0221367e20"), ("eq", "1", "6.0221367e23"),
        ("osm", "1", "6.0221367e23"), ("[ppm]", "1", "0.000001"), ("[ppb]", "1", "1e-9"), ("[ppth]", "1", "0.001"),
        ("10^3", "1", "1000"), ("sr", "rad2", "1"), ("N", "kg.m/s2", "1"), ("J", "N.m", "1"), ("W", "J/s", "1"),
        ("V", "W/A", "1"), ("A", "C/s", "1"), ("Gy", "J/kg", "1"), ("Sv", "J/kg", "1"), ("Bq", "/s", "1"),
        ("Ci", "Bq", "3.7e10"), ("kat", "mol/s", "1"), ("U", "umol/min", "1"), ("cal", "J", "4.184"),
        ("[Cal]", "kcal", "1"), ("bar", "kPa", "100"), ("atm", "Pa", "101325"), ("cm[H2O]", "Pa", "98.0665"),
        ("t", "kg", "1000"), ("[gal_us]", "L", "3.785411784"), ("[qt_us]", "[pt_us]", "2"),
        ("[cup_us]", "[tbs_us]", "16"),
        ("[foz_us]", "[tbs_us]", "2"), ("[tbs_us]", "[tsp_us]", "3"), ("[drp]", "mL", "0.05"),
        ("[yd_i]", "[ft_i]", "3"),
        ("[mi_i]", "m", "1609.344"), ("[gr]", "mg", "64.79891"), ("[stone_av]", "[lb_av]", "14"),
        ("a_j", "d", "365.25"),
        ("a_g", "d", "365.2425"), ("mo_j", "a_j/12", "1"), ("mo_g", "d", "30.436875"), ("mo_s", "d", "29.53059"),
        ("[arb'U]", "[arb'U]", "1"), ("[USP'U]", "[USP'U]", "1"), ("[CFU]", "[CFU]", "1"), ("dam", "m", "10"),
        ("hL", "L", "100"), ("Mg", "t", "1"), ("GBq", "Bq", "1e9"), ("pg", "g", "1e-12"), ("fL", "L", "1e-15"),
        ("K", "K", "1"), ("cd", "cd", "1"), ("rad", "rad", "1"),
    ])
    func tableFactors(code: String, base: String, expected: String) throws {
        let converted = QuantityEval.q("1", code).converted(toUnit: base)
        #expect(converted?.value == FHIRDecimal(expected), "1 '\(code)' in '\(base)': \(String(describing: converted))")
    }
}
