import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

/// minValue/maxValue given as a Duration on date, dateTime and instant elements: relative to now.
struct RelativeBoundTests {
    typealias TypedValue = ElementDefinitionInfo.TypedValue

    func bound(_ json: String, type: String = "Duration") throws -> TypedValue {
        TypedValue(type: type, value: try JSONValue.parse(json), companion: nil)
    }

    func node(_ type: String, _ value: String) -> ElementNode {
        ElementNode(name: "x", typeName: type, value: value, flags: .primitive)
    }

    /// 2024-02-29T12:00:00Z.
    let now = ValueMatching.Moment(seconds: CivilCalendar.days(year: 2024, month: 2, day: 29) * 86_400 + 12 * 3600)

    @Test func limitsMoveByCalendarUnits() throws {
        func limit(_ json: String, subtracting: Bool = false) throws -> String? {
            let duration = try #require(ValueMatching.RelativeDuration(try JSONValue.parse(json)))
            return ValueMatching.limit(now, duration, subtracting: subtracting)?.lexeme
        }
        #expect(try limit(#"{"value":10,"code":"a","system":"http://unitsofmeasure.org"}"#) == "2034-02-28T12:00:00Z")
        #expect(try limit(#"{"value":1,"code":"mo"}"#, subtracting: true) == "2024-01-29T12:00:00Z")
        #expect(try limit(#"{"value":2,"code":"wk"}"#) == "2024-03-14T12:00:00Z")
        #expect(try limit(#"{"value":36,"unit":"hours"}"#, subtracting: true) == "2024-02-28T00:00:00Z")
        #expect(ValueMatching.RelativeDuration(try JSONValue.parse(#"{"value":3,"code":"mg"}"#)) == nil)
        #expect(ValueMatching.RelativeDuration(try JSONValue.parse(#"{"value":-3,"code":"d"}"#)) == nil)
        #expect(try limit(#"{"value":9000,"code":"a"}"#) == nil)
    }

    @Test func maximumAndMinimumAroundNow() throws {
        let tenYears = try bound(#"{"value":10,"unit":"a","system":"http://unitsofmeasure.org","code":"a"}"#)
        let later = node("date", "2100-01-01")
        #expect(ValueMatching.isRelativeBound(later, tenYears))
        #expect(ValueMatching.compareRelative(later, tenYears, isMinimum: false, now: now) == 1)
        #expect(ValueMatching.compareRelative(node("date", "2020-01-01"), tenYears, isMinimum: false, now: now) == -1)
        // The same year as the limit: a date to the year cannot be ordered against it.
        #expect(ValueMatching.compareRelative(node("date", "2034"), tenYears, isMinimum: false, now: now) == nil)
        let eighteen = try bound(#"{"value":18,"code":"a"}"#)
        let born = node("dateTime", "2010-05-01T08:00:00Z")
        #expect(ValueMatching.compareRelative(born, eighteen, isMinimum: true, now: now) == 1)
        #expect(
            ValueMatching.compareRelative(node("instant", "1990-05-01T08:00:00Z"), eighteen, isMinimum: true, now: now)
                == -1)
        // Not relative: other element types, non-time quantities.
        #expect(!ValueMatching.isRelativeBound(node("integer", "3"), eighteen))
        #expect(!ValueMatching.isRelativeBound(later, try bound(#"{"value":3,"code":"mg"}"#, type: "Quantity")))
    }
}
