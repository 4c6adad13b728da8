import FHIRModel
import FHIRPath
import Testing

/// Quantity `+ - * /`.
@Suite struct QuantityArithmeticTests {
    /// Checks value (numerically), unit and kind of a single quantity result.
    func expectQuantity(
        _ text: String, _ value: String, _ unit: String, calendar: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let q = try QuantityEval.quantity(text, sourceLocation: sourceLocation)
        guard let q else {
            Issue.record("\(text): empty result", sourceLocation: sourceLocation)
            return
        }
        #expect(q.value == FHIRDecimal(value), "\(text): value \(q.value)", sourceLocation: sourceLocation)
        #expect(q.unit == unit, "\(text): unit \(q.unit)", sourceLocation: sourceLocation)
        #expect(q.isCalendarDuration == calendar, "\(text): calendar flag", sourceLocation: sourceLocation)
    }

    @Test func additionUsesTheFinerUnit() throws {
        try expectQuantity("3 'm' + 3 'cm'", "303", "cm")
        try expectQuantity("3 'cm' + 3 'm'", "303", "cm")
        try expectQuantity("3 'm' - 3 'cm'", "297", "cm")
        try expectQuantity("1 'kg' + 500 'g'", "1500", "g")
        try expectQuantity("1.5 'mg' + 1.25 'mg'", "2.75", "mg")
        try expectQuantity("1 'h' + 30 'min'", "90", "min")
        try expectQuantity("1 day + 1 hour", "25", "hour", calendar: true)
        try expectQuantity("1 day + 1 'h'", "25", "h")
        try expectQuantity("1 year + 6 months", "18", "month", calendar: true)
        try expectQuantity("1 year - 1 month", "11", "month", calendar: true)
        try expectQuantity("2 'foo' + 3 'foo'", "5", "foo")
        // kg to pounds does not terminate: eight places.
        try expectQuantity("1 'kg' + 1 '[lb_av]'", "3.20462262", "[lb_av]")
        let sum = try QuantityEval.quantity("3.0 'm' + 3 'cm'")
        #expect(sum?.value.plainString == "303.0")
    }

    @Test func additionOfIncomparableUnitsIsEmpty() throws {
        for text in [
            "1 'g' + 1 'm'", "1 year + 1 day", "1 'a' + 1 year", "1 month - 1 'mo'", "1 'foo' + 1 'bar'",
            "1 'mg' + 1 'mL'",
        ] {
            #expect(try QuantityEval.values(text).isEmpty, "\(text)")
        }
    }

    @Test func multiplicationCombinesUnits() throws {
        try expectQuantity("2.0 'cm' * 2.0 'm'", "400", "cm2")
        try expectQuantity("12 'cm' * 3 'cm'", "36", "cm2")
        try expectQuantity("3 'cm' * 12 'cm2'", "36", "cm3")
        try expectQuantity("5 'mg/kg' * 70 'kg'", "350", "mg")
        try expectQuantity("2 'mg/kg/h' * 70 'kg'", "140", "mg/h")
        // Prefixed atoms that would cancel stay apart (`mg/kg` is not a pure number).
        try expectQuantity("0.1 'mg/kg/h' * 70000 'g'", "7000", "mg.g/kg/h")
        #expect(try QuantityEval.boolean("0.1 'mg/kg/h' * 70000 'g' = 7 'mg/h'") == true)
        try expectQuantity("100 'mL/h' * 2 'h'", "200", "mL")
        try expectQuantity("2 '/min' * 3 'min'", "6", "1")
        try expectQuantity("2 'm' * 3 's'", "6", "m.s")
        try expectQuantity("2 'g' * 3 '/m'", "6", "g/m")
        try expectQuantity("2 day * 3 'h'", "6", "d.h")
        #expect(try QuantityEval.boolean("2.0 'cm' * 2.0 'm' = 0.040 'm2'") == true)
    }

    @Test func numbersKeepTheUnitAsWritten() throws {
        try expectQuantity("2 'mg' * 3", "6", "mg")
        try expectQuantity("3 * 2 'mg'", "6", "mg")
        try expectQuantity("2 'mg/kg/h' * 1.5", "3", "mg/kg/h")
        try expectQuantity("2 days * 3", "6", "day", calendar: true)
        try expectQuantity("2 years * 2", "4", "year", calendar: true)
        try expectQuantity("10 'mg' / 4", "2.5", "mg")
        try expectQuantity("1 'mg' / 3", "0.33333333", "mg")
        try expectQuantity("2 'Cel' * 2", "4", "Cel")
        try expectQuantity("2 'foo' * 2", "4", "foo")
    }

    @Test func divisionCombinesUnits() throws {
        try expectQuantity("4.0 'g' / 2.0 'm'", "2", "g/m")
        try expectQuantity("1.0 'm' / 1.0 'm'", "1", "1")
        try expectQuantity("12 'cm2' / 3 'cm'", "4", "cm")
        try expectQuantity("350 'mg' / 70 'kg'", "5", "mg/kg")
        try expectQuantity("1 'g' / 1 'mg'", "1", "g/mg")
        try expectQuantity("1 'm' / 1 'cm'", "1", "m/cm")
        #expect(try QuantityEval.boolean("1 'g' / 1 'mg' = 1000 '1'") == true)
        try expectQuantity("1 'mg' / 1 'mg'", "1", "1")
        try expectQuantity("140 'mg/h' / 70 'kg'", "2", "mg/h/kg")
        try expectQuantity("6 'mL' / 3 'min'", "2", "mL/min")
        try expectQuantity("1 'm' / 3 's'", "0.33333333", "m/s")
        #expect(try QuantityEval.boolean("4.0 'g' / 2.0 'm' = 2 'g/m'") == true)
        #expect(try QuantityEval.boolean("1.0 'm' / 1.0 'm' = 1 '1'") == true)
        #expect(try QuantityEval.boolean("140 'mg/h' / 70 'kg' = 2 'mg/kg/h'") == true)
    }

    @Test func undefinedProductsAreEmpty() throws {
        for text in [
            "1 'mg' / 0 'mg'", "1 'mg' / 0", "1 year * 1 'm'", "1 month / 2 'd'", "1 'Cel' * 1 'm'", "1 'foo' * 1 'm'",
            "1 'foo' / 1 'foo'",
        ] {
            #expect(try QuantityEval.values(text).isEmpty, "\(text)")
        }
    }

    @Test func hugeExponentsStayBounded() throws {
        // 99 is the largest exponent a unit may have; products beyond twice that are empty.
        try expectQuantity("1 'm99' * 1 'm99'", "1", "m198")
        #expect(try QuantityEval.values("1 'm99' * 1 'm99' * 1 'm99'").isEmpty)
        #expect(try QuantityEval.boolean("1 'Ym99' = 1 'Ym99'") == true)
        #expect(try QuantityEval.boolean("1 'Ym99' > 1 'ym99'") == true)
    }
}
