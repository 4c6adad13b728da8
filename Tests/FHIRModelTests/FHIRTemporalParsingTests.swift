import FHIRModel
import Testing

@Suite("Dates and times: parsing")
struct FHIRTemporalParsingTests {
    @Test(arguments: [
        ("2024", FHIRTemporalPrecision.year), ("2024-02", .month), ("2024-02-29", .day), ("2000-02-29", .day),
        ("0001", .year), ("9999-12-31", .day), ("1000", .year), ("0010-01", .month),
    ])
    func validDatesByPrecision(lexeme: String, precision: FHIRTemporalPrecision) throws {
        let date = try #require(FHIRDate(lexeme))
        #expect(date.precision == precision)
        #expect(date.lexeme == lexeme)
        #expect(FHIRPrimitive.isValid(lexeme, type: "date"))
        // Every date is also a dateTime.
        #expect(FHIRDateTime(lexeme)?.precision == precision)
    }

    @Test(arguments: [
        "2023-02-29", "1900-02-29", "2024-04-31", "2024-13", "2024-00", "2024-01-00", "2024-1", "24", "0000",
        "2024-01-01T10:00:00Z", "2024-02-30", "2024-01-32", "", "20240101", "2024/01/01", "2024-01-01 ", "+2024",
        "-2024", "2024-", "2024-01-", "202a",
    ])
    func invalidDates(lexeme: String) {
        #expect(FHIRDate(lexeme) == nil)
        #expect(!FHIRPrimitive.isValid(lexeme, type: "date"))
    }

    @Test func dateComponents() throws {
        let d = try #require(FHIRDate("2024-02-29"))
        #expect(d.year == 2024 && d.month == 2 && d.day == 29)
        let m = try #require(FHIRDate("2024-02"))
        #expect(m.month == 2 && m.day == nil)
    }

    @Test(arguments: [
        "2024", "2024-01", "2024-01-01", "2024-01-01T10:00:00Z", "2024-01-01T10:00:00+02:00",
        "2024-01-01T10:00:00.123-05:30", "2016-12-31T23:59:60Z", "2024-01-01T10:00:00+14:00",
        "2024-01-01T10:00:00-13:59", "2024-01-01T00:00:00-00:00", "2024-02-29T12:00:00.000000001Z",
    ])
    func validDateTimes(lexeme: String) throws {
        let dt = try #require(FHIRDateTime(lexeme))
        #expect(dt.lexeme == lexeme)
        #expect(FHIRPrimitive.isValid(lexeme, type: "dateTime"))
    }

    @Test(arguments: [
        "2024-01-01T10:00:00", "2024-01-01T10:00Z", "2024-01T10:00:00Z", "2024T10:00:00Z", "2024-01-01T24:00:00Z",
        "2024-01-01T10:60:00Z", "2024-01-01T10:00:61Z", "2024-01-01T10:00:00+14:30", "2024-01-01T10:00:00+15:00",
        "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00+0200", "2024-01-01T10:00:00z", "2024-01-01t10:00:00Z",
        "2024-01-01T", "2024-01-01T10:00:00Z ", "2023-02-29T10:00:00Z", "2024-01-01T10:00:00+02", "2024-01-01T10",
        "2024-01-01 10:00:00Z", "2024-01-01T10:00:00+02:60",
    ])
    func invalidDateTimes(lexeme: String) {
        #expect(FHIRDateTime(lexeme) == nil)
        #expect(!FHIRPrimitive.isValid(lexeme, type: "dateTime"))
    }

    @Test func dateTimeComponentsAndZones() throws {
        let dt = try #require(FHIRDateTime("2024-03-05T07:08:09.0500-05:30"))
        #expect(dt.precision == .fraction)
        #expect(dt.year == 2024 && dt.month == 3 && dt.day == 5)
        #expect(dt.hour == 7 && dt.minute == 8 && dt.second == 9)
        #expect(dt.fractionDigits == "0500")  // as written, trailing zero kept
        #expect(dt.timeZoneOffset?.minutes == -330)
        #expect(dt.timeZoneOffset?.isZulu == false)
        #expect(dt.timeZoneOffset?.description == "-05:30")
        #expect(dt.hasTime)

        let z = try #require(FHIRDateTime("2024-03-05T07:08:09Z"))
        #expect(z.precision == .second)
        #expect(z.fractionDigits == nil)
        #expect(z.timeZoneOffset == .utc)
        #expect(z.timeZoneOffset?.description == "Z")

        let date = try #require(FHIRDateTime("2024-03"))
        #expect(date.timeZoneOffset == nil)
        #expect(!date.hasTime)
        #expect(date.day == nil && date.hour == nil)
    }

    @Test(arguments: ["2024-01-01T10:00:00Z", "2024-01-01T10:00:00.5+02:00", "1970-01-01T00:00:00-14:00"])
    func validInstants(lexeme: String) throws {
        let i = try #require(FHIRInstant(lexeme))
        #expect(i.lexeme == lexeme)
        #expect(FHIRPrimitive.isValid(lexeme, type: "instant"))
    }

    @Test(arguments: [
        "2024-01-01", "2024", "2024-01", "2024-01-01T10:00:00", "2024-01-01T10:00Z", "2024-01-01T10:00:00.5",
        "2024-02-30T10:00:00Z",
    ])
    func instantRequiresFullDateSecondsAndZone(lexeme: String) {
        #expect(FHIRInstant(lexeme) == nil)
        #expect(!FHIRPrimitive.isValid(lexeme, type: "instant"))
    }

    @Test(arguments: [
        ("00:00:00", FHIRTemporalPrecision.second), ("23:59:59", .second), ("23:59:60", .second),
        ("12:30:15.123456", .fraction),
    ])
    func validTimes(lexeme: String, precision: FHIRTemporalPrecision) throws {
        let t = try #require(FHIRTime(lexeme))
        #expect(t.precision == precision)
        #expect(FHIRPrimitive.isValid(lexeme, type: "time"))
    }

    @Test(arguments: [
        "24:00:00", "24:00", "12:30", "12:60:00", "1:00:00", "12:30:15Z", "12:30:15+01:00", "12:30:15.", "",
        "T12:30:15", "12:30:61", "12-30-15", "12:30:15 ",
    ])
    func invalidTimes(lexeme: String) {
        #expect(FHIRTime(lexeme) == nil)
        #expect(!FHIRPrimitive.isValid(lexeme, type: "time"))
    }

    @Test func timeComponents() throws {
        let t = try #require(FHIRTime("12:30:15.250"))
        #expect(t.hour == 12 && t.minute == 30 && t.second == 15)
        #expect(t.fractionDigits == "250")
        #expect(t.lexeme == "12:30:15.250")
    }

    @Test func fhirPathLiterals() throws {
        #expect(FHIRDateTime(fhirPathLiteral: "2015T")?.precision == .year)
        #expect(FHIRDateTime(fhirPathLiteral: "2015-02T")?.precision == .month)
        #expect(FHIRDateTime(fhirPathLiteral: "2015-02-04T")?.precision == .day)
        let hour = try #require(FHIRDateTime(fhirPathLiteral: "2015-02-04T14"))
        #expect(hour.precision == .hour)
        #expect(hour.timeZoneOffset == nil)
        let minute = try #require(FHIRDateTime(fhirPathLiteral: "2015-02-04T14:34+09:00"))
        #expect(minute.precision == .minute)
        #expect(minute.timeZoneOffset?.minutes == 540)
        #expect(FHIRDateTime(fhirPathLiteral: "2015-02-04T14:34:28.123")?.precision == .fraction)
        #expect(FHIRDateTime(fhirPathLiteral: "2015-02T14") == nil)
        #expect(FHIRDateTime(fhirPathLiteral: "2015-02-04T25") == nil)
        #expect(FHIRDateTime("2015-02-04T14") == nil)  // R4 needs seconds and zone
        #expect(FHIRTime(fhirPathLiteral: "14")?.precision == .hour)
        #expect(FHIRTime(fhirPathLiteral: "14:30")?.minute == 30)
        #expect(FHIRTime(fhirPathLiteral: "14:30")?.second == nil)
        #expect(FHIRTime(fhirPathLiteral: "14:30:00Z") == nil)
        #expect(FHIRTime(fhirPathLiteral: "24") == nil)
    }

    @Test func offsetsBeyondFourteenHoursAreRefused() {
        #expect(FHIRTimeZoneOffset(minutes: 14 * 60)?.description == "+14:00")
        #expect(FHIRTimeZoneOffset(minutes: -90)?.description == "-01:30")
        #expect(FHIRTimeZoneOffset(minutes: 14 * 60 + 1) == nil)
    }

    @Test func lexicalIdentityIsEquality() throws {
        let a = try #require(FHIRDateTime("2024-01-01T10:00:00+02:00"))
        let b = try #require(FHIRDateTime("2024-01-01T08:00:00Z"))
        #expect(a != b)  // different lexemes...
        #expect(a.isEqual(to: b) == true)  // ...same moment
        #expect(Set([a, b, try #require(FHIRDateTime("2024-01-01T08:00:00Z"))]).count == 2)
    }
}
