import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Foundation
import Testing

/// iif, trace, now/today/timeOfDay and sort.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1"))
struct UtilityFunctionTests: ResourceProbing {
    let patient = #"""
        {"resourceType":"Patient","id":"p","birthDate":"1980-05-06",
         "name":[{"use":"official","family":"Chalmers","given":["Peter","James"]},
                 {"use":"usual","given":["Jim"]},
                 {"use":"maiden","family":"Windsor","given":["Peter","James"]}],
         "telecom":[{"use":"home"},{"system":"phone","value":"555"},{"system":"phone","value":"777"}]}
        """#

    /// Collects `trace()` output.
    final class TraceLog: FHIRPathTraceSink, @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [(String, Int)] = []

        func trace(name: String, values: [FHIRPathValue]) {
            lock.lock()
            entries.append((name, values.count))
            lock.unlock()
        }

        var recorded: [(String, Int)] {
            lock.lock()
            defer { lock.unlock() }
            return entries
        }
    }

    @Test func iifChoosesABranch() throws {
        #expect(try texts("iif(true, 'a', 'b') | iif(false, 'c', 'd')") == ["a", "d"])
        #expect(try texts("iif({}, 'a', 'b')") == ["b"])
        #expect(try texts("iif(false, 'a')").isEmpty)
        #expect(try texts("iif(name.exists(), 'named', 'unnamed')", on: patient) == ["named"])
    }

    @Test func iifEvaluatesOnlyTheChosenBranch() throws {
        // The other branch would fail: single() on two items is an execution error.
        #expect(try texts("iif(true, 'a', (1 | 2).single())") == ["a"])
        #expect(try texts("iif(false, (1 | 2).single(), 'b')") == ["b"])
        #expect(errorKind("iif(true, (1 | 2).single(), 'b')") == .execution)
    }

    @Test func iifOnAnInputItem() throws {
        #expect(try texts("('context').iif($this = 'context', 'yes', 'no')") == ["yes"])
        #expect(try texts("('context').iif(true, select($this), 'no')") == ["context"])
        #expect(try texts("{}.iif(true, 'yes', 'no')") == ["yes"])
        // Inside select(), $index stays the one of the enclosing iteration.
        #expect(try texts("telecom.select(iif(value = '777', $index, {}))", on: patient) == ["2"])
        #expect(errorKind("('a' | 'b').iif(true, 1, 2)") == .execution)
    }

    @Test func iifCriterionMustBeOneBoolean() {
        #expect(errorKind("iif((true | false), 1, 2)") == .execution)
        #expect(errorKind("iif('text', 1, 2)") == .execution)
    }

    @Test func traceReportsAndReturnsTheInput() throws {
        let log = TraceLog()
        let environment = FHIRPathEnvironment(trace: log)
        #expect(try texts("name.given.trace('g').count()", on: patient, environment: environment) == ["5"])
        #expect(try texts("name.trace('n', given).count()", on: patient, environment: environment) == ["3"])
        let entries = log.recorded
        #expect(entries.map(\.0) == ["g", "n"])
        #expect(entries.map(\.1) == [5, 5])
        // Without a sink the input still passes through.
        #expect(try texts("(1 | 2).trace('x')") == ["1", "2"])
    }

    @Test func clockFunctionsUseTheEnvironmentMoment() throws {
        let now = try #require(FHIRDateTime("2024-03-05T10:20:30.123+01:00"))
        let environment = FHIRPathEnvironment(now: now)
        #expect(try texts("now()", environment: environment) == ["dateTime 2024-03-05T10:20:30.123+01:00"])
        #expect(try texts("today()", environment: environment) == ["date 2024-03-05"])
        #expect(try texts("timeOfDay()", environment: environment) == ["time 10:20:30.123"])
        #expect(try texts("now() = now()", environment: environment) == ["true"])
        #expect(try texts("birthDate < today()", on: patient, environment: environment) == ["true"])
    }

    @Test func clockFunctionsWithoutAMomentReadTheSystemClock() throws {
        let today = try evaluate("today()")
        guard case .date(let d)? = today.first else {
            Issue.record("expected a Date, got \(today)")
            return
        }
        #expect(d.precision == .day && d.year >= 2024)
        guard case .dateTime(let n)? = try evaluate("now()").first else {
            Issue.record("expected a DateTime")
            return
        }
        #expect(n.hasTime)
    }

    @Test func sortByValueAndKeys() throws {
        #expect(try texts("(3 | 1 | 2).sort()") == ["1", "2", "3"])
        #expect(try texts("(3 | 1 | 2).sort(-$this)") == ["3", "2", "1"])
        #expect(try texts("('b' | 'c' | 'a').sort(-$this)") == ["c", "b", "a"])
        #expect(try texts("name[0].given.sort()", on: patient) == ["James", "Peter"])
        // An empty key sorts after every value, so first when descending.
        #expect(try texts("name.sort(family).use", on: patient) == ["official", "maiden", "usual"])
        #expect(try texts("name.sort(-family).use", on: patient) == ["usual", "maiden", "official"])
        // A second key breaks ties of the first; equal keys keep the input order.
        #expect(try texts("name.sort(given.first(), -use).use", on: patient) == ["usual", "official", "maiden"])
        #expect(try texts("name.sort(given.first(), use).use", on: patient) == ["usual", "maiden", "official"])
        #expect(try texts("name.sort(given.first()).use", on: patient) == ["usual", "official", "maiden"])
        #expect(try texts("{}.sort()").isEmpty)
    }

    @Test func sortErrors() {
        // A key with several items, and complex elements without a key, cannot be ordered.
        #expect(errorKind("name.sort(given)", on: patient) == .execution)
        #expect(errorKind("name.sort()", on: patient) == .execution)
        #expect(errorKind("(1 | 'a').sort()") == .execution)
    }
}
