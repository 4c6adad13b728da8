import FHIRModel
import Testing

@Suite("Dates and times: FHIRPath comparison")
struct FHIRTemporalComparisonTests {
    private func dt(_ s: String) throws -> FHIRDateTime { try #require(FHIRDateTime(s)) }
    private func lit(_ s: String) throws -> FHIRDateTime { try #require(FHIRDateTime(fhirPathLiteral: s)) }

    @Test(arguments: [
        ("2024", "2024-02", FHIRComparison?.none), ("2023", "2024-02", .less), ("2024-02", "2024-02-15", nil),
        ("2024-03", "2024-02-15", .greater), ("2024-02-15", "2024-02-15", .equal), ("2024", "2025", .less),
        ("2024-01-01", "2024-01-01T10:00:00Z", nil), ("2024-01-02", "2024-01-01T23:00:00Z", .greater),
        ("2024-01-01T10:00:00Z", "2024-01-01T10:00:00.000Z", .equal),
        ("2024-01-01T10:00:00.5Z", "2024-01-01T10:00:00.25Z", .greater),
        ("2024-01-01T10:00:00.1Z", "2024-01-01T10:00:00.10001Z", .less),
    ])
    func precisionRules(a: String, b: String, expected: FHIRComparison?) throws {
        let x = try dt(a)
        let y = try dt(b)
        #expect(x.compare(y) == expected)
        #expect(y.compare(x) == expected?.reversed)
        #expect(x.isEqual(to: y) == expected.map { $0 == .equal })
        #expect(x.isEquivalent(to: y) == (expected == .equal))
    }

    @Test(arguments: [
        ("2024-01-01T10:00:00+02:00", "2024-01-01T08:00:00Z"),
        ("2024-01-01T01:00:00+02:00", "2023-12-31T23:00:00Z"),
        ("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"),
        ("2023-12-31T20:00:00-05:00", "2024-01-01T01:00:00Z"),
        ("2024-01-01T13:59:00+14:00", "2023-12-31T23:59:00Z"),
        ("2024-01-01T00:00:00-00:00", "2024-01-01T00:00:00Z"),
        ("2024-06-15T12:00:00+05:30", "2024-06-15T06:30:00Z"),
        ("2024-06-15T12:00:00.250+05:30", "2024-06-15T09:30:00.25+03:00"),
    ])
    func zonesAreNormalised(a: String, b: String) throws {
        #expect(try dt(a).compare(try dt(b)) == .equal)
        #expect(try dt(a).isEqual(to: try dt(b)) == true)
        let ia = try #require(FHIRInstant(a))
        let ib = try #require(FHIRInstant(b))
        #expect(ia.compare(ib) == .equal)
        #expect(ia.isSameMoment(as: ib))
        #expect(ia.secondsSince1970 == ib.secondsSince1970)
    }

    @Test func normalisationDecidesOrder() throws {
        // 10:00+02:00 is 08:00Z, before 09:00Z although its wall clock is later.
        #expect(try dt("2024-01-01T10:00:00+02:00").compare(try dt("2024-01-01T09:00:00Z")) == .less)
        // 23:30-01:00 on the 1st is 00:30Z on the 2nd: after 00:15Z, before 00:45Z.
        let west = try #require(FHIRInstant("2024-01-01T23:30:00-01:00"))
        let before = try #require(FHIRInstant("2024-01-02T00:15:00Z"))
        let after = try #require(FHIRInstant("2024-01-02T00:45:00Z"))
        #expect(west.compare(before) == .greater)
        #expect(west.compare(after) == .less)
        #expect(after.compare(west) == .greater)
    }

    @Test func oneSidedZones() throws {
        let local = try lit("2024-01-01T10:00:00")
        let utc = try dt("2024-01-01T08:00:00Z")
        #expect(local.compare(utc) == .greater)  // wall clocks compared as written
        let plusTwo = try #require(FHIRTimeZoneOffset(minutes: 120))
        #expect(local.compare(utc, assumingOffset: plusTwo) == .equal)
        #expect(local.isEqual(to: utc, assumingOffset: plusTwo) == true)
        // A date has no time, so an assumed offset does not move it.
        #expect(try dt("2024-01-01").compare(utc, assumingOffset: plusTwo) == nil)
    }

    @Test func hourPrecisionWithHalfHourOffsetIsUnknown() throws {
        #expect(try lit("2024-01-01T10+05:30").compare(try lit("2024-01-01T04Z")) == nil)
        #expect(try lit("2024-01-01T10+02:00").compare(try lit("2024-01-01T08Z")) == .equal)
        #expect(try lit("2024-01-01T10+02:00").compare(try lit("2024-01-01T08:00Z")) == nil)
    }

    @Test func datesCompareByPrecision() throws {
        let y = try #require(FHIRDate("2024"))
        let m = try #require(FHIRDate("2024-02"))
        let d = try #require(FHIRDate("2024-02-29"))
        #expect(y.compare(m) == nil)
        #expect(y.isEqual(to: m) == nil)
        #expect(!y.isEquivalent(to: m))
        #expect(m.compare(d) == nil)
        #expect(try #require(FHIRDate("2023-12")).compare(d) == .less)
        #expect(d.compare(try #require(FHIRDate("2024-02-29"))) == .equal)
        #expect(d.isEquivalent(to: try #require(FHIRDate("2024-02-29"))))
        #expect(d.dateTime.compare(try dt("2024-03-01T00:00:00Z")) == .less)
    }

    @Test func timesCompareByPrecision() throws {
        let a = try #require(FHIRTime("10:00:00"))
        #expect(a.compare(try #require(FHIRTime("10:00:00.000"))) == .equal)
        #expect(a.compare(try #require(FHIRTime("09:59:59.999"))) == .greater)
        #expect(try #require(FHIRTime("10:00:00.5")).compare(try #require(FHIRTime("10:00:00.49"))) == .greater)
        let hour = try #require(FHIRTime(fhirPathLiteral: "14"))
        let minute = try #require(FHIRTime(fhirPathLiteral: "14:30"))
        #expect(hour.compare(minute) == nil)
        #expect(hour.isEqual(to: minute) == nil)
        #expect(!hour.isEquivalent(to: minute))
        #expect(try #require(FHIRTime(fhirPathLiteral: "13")).compare(minute) == .less)
    }

    @Test func secondsSince1970() throws {
        #expect(try #require(FHIRInstant("1970-01-01T00:00:00Z")).secondsSince1970 == 0)
        #expect(try #require(FHIRInstant("2024-01-01T10:00:00+02:00")).secondsSince1970 == 1_704_096_000)
        #expect(try #require(FHIRInstant("1969-12-31T23:59:59Z")).secondsSince1970 == -1)
        #expect(try #require(FHIRInstant("2000-03-01T00:00:00Z")).secondsSince1970 == 951_868_800)
    }

    /// Walks every day from 1899 to 2101 with an independent calendar and checks that day
    /// boundaries, leap days and zone shifts agree.
    @Test func calendarSweep() throws {
        func daysIn(_ y: Int, _ m: Int) -> Int {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
            return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var previous: (date: String, seconds: Int)?
        var checked = 0
        for y in 1899...2101 {
            for m in 1...12 {
                for d in 1...daysIn(y, m) {
                    let date = "\(y)-\(two(m))-\(two(d))"
                    let midnight = try #require(FHIRInstant(date + "T00:00:00Z"))
                    if let previous {
                        #expect(midnight.secondsSince1970 - previous.seconds == 86_400)
                        // 00:30 at +01:00 is 23:30Z on the previous day.
                        let shifted = try #require(FHIRInstant(date + "T00:30:00+01:00"))
                        let before = try #require(FHIRInstant(previous.date + "T23:30:00Z"))
                        #expect(shifted.compare(before) == .equal)
                    }
                    previous = (date, midnight.secondsSince1970)
                    checked += 1
                }
                #expect(FHIRDate("\(y)-\(two(m))-\(two(daysIn(y, m) + 1))") == nil)
            }
        }
        #expect(checked == 74_144)
    }
}
