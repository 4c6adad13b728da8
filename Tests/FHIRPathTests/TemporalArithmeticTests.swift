import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

/// Date, DateTime and Time plus or minus a time-valued quantity.
@Suite struct TemporalArithmeticTests {
    /// The single result as the suite writes it (`@2019-02-28`, `@T10:00`), with its type.
    func result(_ text: String) throws -> String? {
        let r = try QuantityEval.values(text)
        guard let first = r.first else { return nil }
        #expect(r.count == 1)
        switch first {
        case .date(let d): return "date @" + d.lexeme
        case .dateTime(let d): return "dateTime @" + d.lexeme
        case .time(let t): return "time @T" + t.lexeme
        default: return "\(first)"
        }
    }

    func expectError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do throws(FHIRPathError) {
            let r = try QuantityEval.values(text)
            Issue.record("\(text): expected an execution error, got \(r)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == .execution, "\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func monthsAndYearsClampToTheMonthEnd() throws {
        #expect(try result("@2019-01-31 + 1 month") == "date @2019-02-28")
        #expect(try result("@2020-01-31 + 1 month") == "date @2020-02-29")
        #expect(try result("@2019-03-31 - 1 month") == "date @2019-02-28")
        #expect(try result("@2019-01-31 + 13 months") == "date @2020-02-29")
        #expect(try result("@2019-05-31 + 1 'month'") == "date @2019-06-30")
        #expect(try result("@2019-01-15 - 12 months") == "date @2018-01-15")
        #expect(try result("@2019-01-15 - 13 months") == "date @2017-12-15")
        #expect(try result("@2019-03-31 - 1 month + 1 month") == "date @2019-03-28")
        #expect(try result("@2020-02-29 + 1 year") == "date @2021-02-28")
        #expect(try result("@2020-02-29 + 4 years") == "date @2024-02-29")
        #expect(try result("@2024-02-29 - 1 year") == "date @2023-02-28")
        #expect(try result("@2020-02-29T10:00:00Z + 1 year") == "dateTime @2021-02-28T10:00:00Z")
    }

    @Test func daysAndWeeksCrossMonthsYearsAndLeapDays() throws {
        #expect(try result("@2019-12-31 + 1 day") == "date @2020-01-01")
        #expect(try result("@2020-02-28 + 1 day") == "date @2020-02-29")
        #expect(try result("@2019-02-28 + 1 day") == "date @2019-03-01")
        #expect(try result("@2000-02-28 + 1 day") == "date @2000-02-29")
        #expect(try result("@1900-02-28 + 1 'd'") == "date @1900-03-01")
        #expect(try result("@2020-03-01 - 1 day") == "date @2020-02-29")
        #expect(try result("@2019-01-01 + 2 weeks") == "date @2019-01-15")
        #expect(try result("@2019-01-01 - 1 'wk'") == "date @2018-12-25")
        #expect(try result("@2019-01-01 + 365 days") == "date @2020-01-01")
        #expect(try result("@2020-01-01 + 366 days") == "date @2021-01-01")
        #expect(try result("@2019-01-01 + 3650 days") == "date @2028-12-29")
        #expect(try result("@2019-01-01 + (-1 day)") == "date @2018-12-31")
    }

    @Test func partialValuesKeepTheirPrecision() throws {
        #expect(try result("@2014 + 24 months") == "date @2016")
        #expect(try result("@2014 + 23 months") == "date @2015")
        #expect(try result("@2014 - 25 months") == "date @2012")
        #expect(try result("@2014 + 400 days") == "date @2015")
        #expect(try result("@2014 + 1 'wk'") == "date @2014")
        #expect(try result("@2014-06 + 33 days") == "date @2014-07")
        #expect(try result("@2014-06 + 1 week") == "date @2014-06")
        #expect(try result("@2014-06 + 1 year") == "date @2015-06")
        #expect(try result("@2019-01-01 + 36 hours") == "date @2019-01-02")
        #expect(try result("@2019-01-01 + 23 hours") == "date @2019-01-01")
        #expect(try result("@2019-01-01 - 1440 'min'") == "date @2018-12-31")
        #expect(try result("@2015T + 1 year") == "dateTime @2016T")
        #expect(try result("@2019-01-01T10 + 90 minutes") == "dateTime @2019-01-01T11")
        #expect(try result("@2019-01-01T10:00 + 30 seconds") == "dateTime @2019-01-01T10:00")
        #expect(try result("@2019-01-01T10:00:00 + 999 'ms'") == "dateTime @2019-01-01T10:00:00")
    }

    @Test func decimalQuantitiesAreTruncated() throws {
        #expect(try result("@1973-12-25 + 7.7 days") == "date @1974-01-01")
        #expect(try result("@1973-12-25 - 7.7 days") == "date @1973-12-18")
        #expect(try result("@2019-01-01T10:00:00.000 + 1.5 seconds") == "dateTime @2019-01-01T10:00:01.000")
        #expect(try result("@2019-01-01T10:00:00.000 + 0.1 's'") == "dateTime @2019-01-01T10:00:00.000")
        #expect(try result("@2019-01-01T10:00:00.000 + 2.9 'ms'") == "dateTime @2019-01-01T10:00:00.002")
    }

    @Test func dateTimesKeepZoneAndFractionDigits() throws {
        #expect(try result("@2019-01-01T23:30:00Z + 45 minutes") == "dateTime @2019-01-02T00:15:00Z")
        #expect(try result("@2019-01-01T00:00:00+02:00 - 1 second") == "dateTime @2018-12-31T23:59:59+02:00")
        #expect(try result("@2019-01-01T00:00:00.000-05:30 + 25 'h'") == "dateTime @2019-01-02T01:00:00.000-05:30")
        #expect(try result("@2019-01-01T10:00:00.5 + 10 'ms'") == "dateTime @2019-01-01T10:00:00.510")
        #expect(try result("@2019-01-01T10:00:00.5 + 100 milliseconds") == "dateTime @2019-01-01T10:00:00.6")
        #expect(try result("@2019-01-01T10:00:00.123456 + 1 'ms'") == "dateTime @2019-01-01T10:00:00.124456")
        #expect(try result("@2019-12-31T23:59:59.999Z + 1 millisecond") == "dateTime @2020-01-01T00:00:00.000Z")
        #expect(try result("@2019-01-01T10:00:00 + 1 month") == "dateTime @2019-02-01T10:00:00")
        #expect(try result("@2019-01-01T10:00:00Z + 1 week") == "dateTime @2019-01-08T10:00:00Z")
    }

    @Test func timesWrapAroundMidnight() throws {
        #expect(try result("@T23:30 + 1 hour") == "time @T00:30")
        #expect(try result("@T00:10 - 20 minutes") == "time @T23:50")
        #expect(try result("@T10:00:00.000 + 1500 'ms'") == "time @T10:00:01.500")
        #expect(try result("@T10 + 59 minutes") == "time @T10")
        #expect(try result("@T12:00:00 + 48 hours") == "time @T12:00:00")
        #expect(try result("@T12:00:00 - 1000 hours") == "time @T20:00:00")
    }

    @Test func unitsThatAreNotCalendarDurationsAreErrors() {
        expectError("@1973-12-25 + 1 'mo'")
        expectError("@1973-12-25 + 1 'a'")
        expectError("@1973-12-25T10:00:00Z - 1 'a'")
        expectError("@1974-12-25 - 1 'cm'")
        expectError("@1974-12-25 + 1 'foo'")
        expectError("@T10:00 + 1 day")
        expectError("@T10:00 + 1 'd'")
        expectError("@T10:00 - 1 year")
    }

    @Test func resultsOutsideTheCalendarAreEmpty() throws {
        #expect(try result("@9999-12-31 + 1 day") == nil)
        #expect(try result("@0001-01-01 - 1 day") == nil)
        #expect(try result("@2019 + 100000 years") == nil)
        #expect(try result("@2019-01-01 + 100000000000000000000000000 days") == nil)
        #expect(try result("@T10:00 + 100000000000000000000000000 hours") == nil)
        #expect(try result("@9999-12-31T23:59:59Z + 1 second") == nil)
        #expect(try result("{} + 1 day") == nil)
        #expect(try result("@2019-01-01 + {}") == nil)
    }

    /// FHIR date and dateTime elements move like the System values they convert to.
    @Test func fhirElements() throws {
        let model = try TestSupport.coreModel()
        let json = #"""
            {"resourceType":"Patient","birthDate":"1974-12-25","deceasedDateTime":"2020-02-29T08:30:00+01:00"}
            """#
        let resource = try FHIRJSONReader(model: model).read(json).root
        let engine = FHIRPathEngine(model: model)
        let birth = try engine.compile("Patient.birthDate + 18 years").evaluate(resource)
        guard case .date(let d)? = birth.first else {
            Issue.record("expected a date, got \(birth)")
            return
        }
        #expect(d.lexeme == "1992-12-25")
        let deceased = try engine.compile("Patient.deceased - 1 year").evaluate(resource)
        guard case .dateTime(let t)? = deceased.first else {
            Issue.record("expected a dateTime, got \(deceased)")
            return
        }
        #expect(t.lexeme == "2019-02-28T08:30:00+01:00")
    }
}
