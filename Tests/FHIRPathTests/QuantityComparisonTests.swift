import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

/// Equality, equivalence and ordering of quantities, calendar durations included.
@Suite struct QuantityComparisonTests {
    @Test func calendarDurationsBelowAMonthEqualTheirUCUMUnits() throws {
        #expect(try QuantityEval.boolean("7 days = 1 week") == true)
        #expect(try QuantityEval.boolean("7 days = 1 'wk'") == true)
        #expect(try QuantityEval.boolean("1 day = 1 'd'") == true)
        #expect(try QuantityEval.boolean("1 second = 1 's'") == true)
        #expect(try QuantityEval.boolean("1 millisecond = 1 'ms'") == true)
        #expect(try QuantityEval.boolean("1 hour = 60 minutes") == true)
        #expect(try QuantityEval.boolean("1 week = 168 'h'") == true)
        #expect(try QuantityEval.boolean("6 days < 1 week") == true)
        #expect(try QuantityEval.boolean("8 days > 1 week") == true)
        #expect(try QuantityEval.boolean("10 seconds > 1 's'") == true)
        #expect(try QuantityEval.boolean("1 'day' = 1 day") == true)
    }

    @Test func calendarYearsAndMonthsAreNotUCUMYearsAndMonths() throws {
        #expect(try QuantityEval.boolean("1 year = 12 months") == true)
        #expect(try QuantityEval.boolean("2 years > 23 months") == true)
        #expect(try QuantityEval.boolean("1 year = 1 'a'") == nil)
        #expect(try QuantityEval.boolean("1 month = 1 'mo'") == nil)
        #expect(try QuantityEval.boolean("1 year > 1 'a'") == nil)
        #expect(try QuantityEval.boolean("1 year = 365 days") == nil)
        #expect(try QuantityEval.boolean("1 month < 40 days") == nil)
        // Equivalence treats them as the UCUM units.
        #expect(try QuantityEval.boolean("1 year ~ 1 'a'") == true)
        #expect(try QuantityEval.boolean("1 month ~ 1 'mo'") == true)
        #expect(try QuantityEval.boolean("1 second ~ 1 's'") == true)
        #expect(try QuantityEval.boolean("1 year ~ 12 months") == true)
        #expect(try QuantityEval.boolean("2 years ~ 1 'a'") == false)
    }

    @Test func equivalenceUsesThePrecisionOfTheLessPreciseOperand() throws {
        #expect(try QuantityEval.boolean("4 'g' ~ 4040 'mg'") == true)
        #expect(try QuantityEval.boolean("4040 'mg' ~ 4 'g'") == true)
        #expect(try QuantityEval.boolean("4.0 'g' ~ 4040 'mg'") == true)
        #expect(try QuantityEval.boolean("4.00 'g' ~ 4040 'mg'") == false)
        #expect(try QuantityEval.boolean("4 'g' ~ 4600 'mg'") == false)
        #expect(try QuantityEval.boolean("1 'h' ~ 61 'min'") == true)
        #expect(try QuantityEval.boolean("1.0 'h' ~ 66 'min'") == false)
        #expect(try QuantityEval.boolean("1 '[in_i]' ~ 2.6 'cm'") == true)
        #expect(try QuantityEval.boolean("1.00 '[in_i]' ~ 2.6 'cm'") == false)
        #expect(try QuantityEval.boolean("1.00 '[in_i]' ~ 2.5 'cm'") == true)
        #expect(try QuantityEval.boolean("1.5 'mg' ~ 1.54 'mg'") == true)
        #expect(try QuantityEval.boolean("1.5 'mg' ~ 1.56 'mg'") == false)
        // Equality stays exact.
        #expect(try QuantityEval.boolean("4 'g' = 4040 'mg'") == false)
        #expect(try QuantityEval.boolean("4.0000 'g' = 4000.0 'mg'") == true)
    }

    @Test func emptyOperandsAndCollections() throws {
        #expect(try QuantityEval.boolean("{} = 1 'mg'") == nil)
        #expect(try QuantityEval.boolean("1 'mg' ~ {}") == false)
        #expect(try QuantityEval.boolean("(1 'g' | 2 'g') = (1000 'mg' | 2000 'mg')") == true)
        #expect(try QuantityEval.boolean("(1 'g' | 2 'g') ~ (2000 'mg' | 1000 'mg')") == true)
        #expect(throws: FHIRPathError.self) { try QuantityEval.values("(1 'g' | 2 'g') < 3 'g'") }
    }

    /// A FHIR Quantity element compares as a System.Quantity with its UCUM code.
    @Test func fhirQuantityElements() throws {
        let model = try TestSupport.coreModel()
        let json = #"""
            {"resourceType":"Observation","status":"final","code":{"text":"weight"},
             "valueQuantity":{"value":185,"unit":"lbs","system":"http://unitsofmeasure.org","code":"[lb_av]"},
             "component":[{"code":{"text":"dose"},"valueQuantity":{"value":0.5,"system":"http://unitsofmeasure.org","code":"mg/kg/h"}}]}
            """#
        let resource = try FHIRJSONReader(model: model).read(json).root
        let engine = FHIRPathEngine(model: model)
        func eval(_ text: String) throws -> [FHIRPathValue] { try engine.compile(text).evaluate(resource) }
        func boolean(_ text: String) throws -> Bool? {
            let r = try eval(text)
            guard r.count == 1, case .boolean(let b) = r[0] else { return nil }
            return b
        }
        #expect(try boolean("Observation.value = 83.91458845 'kg'") == true)
        #expect(try boolean("Observation.value > 80 'kg'") == true)
        #expect(try boolean("Observation.value ~ 84 'kg'") == true)
        #expect(try boolean("Observation.value != 185 'kg'") == true)
        #expect(try eval("Observation.value = 185 'cm'").isEmpty)
        #expect(try boolean("Observation.component.value = 12 'mg/kg/d'") == true)
        #expect(try boolean("Observation.component.value < 1 'ug/g/min'") == true)
    }
}
