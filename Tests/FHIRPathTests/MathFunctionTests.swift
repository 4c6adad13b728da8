import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

@Suite struct MathFunctionTests {
    func r(_ text: String) -> [String] { FunctionProbe.render(text) }

    @Test func absKeepsTypesAndUnits() {
        #expect(r("(-5).abs()") == ["integer:5"])
        #expect(r("(-5L).abs()") == ["long:5"])
        #expect(r("(-5.50).abs()") == ["decimal:5.50"])
        #expect(r("(-5.5 'mg').abs()") == ["quantity:5.5 'mg'"])
        #expect(r("(-2147483647 - 1).abs()") == [])  // outside the 32-bit Integer range
        #expect(FunctionProbe.errorKind("'a'.abs()") == .execution)
        #expect(FunctionProbe.errorKind("(1 | 2).abs()") == .execution)
    }

    @Test func wholeNumberFunctionsGiveIntegers() {
        #expect(r("1.1.ceiling()") == ["integer:2"])
        #expect(r("(-1.1).ceiling()") == ["integer:-1"])
        #expect(r("2.1.floor()") == ["integer:2"])
        #expect(r("(-2.1).floor()") == ["integer:-3"])
        #expect(r("(-1.56).truncate()") == ["integer:-1"])
        #expect(r("101.truncate()") == ["integer:101"])
        #expect(r("{}.floor()") == [])
    }

    @Test func roundIsHalfAwayFromZero() {
        #expect(r("3.14159.round(3)") == ["decimal:3.142"])
        #expect(r("2.5.round()") == ["decimal:3"])
        #expect(r("(-2.5).round()") == ["decimal:-3"])
        #expect(r("1.round()") == ["decimal:1"])
        #expect(r("1.2.round(3)") == ["decimal:1.200"])
        #expect(FunctionProbe.errorKind("1.5.round(-1)") == .execution)
    }

    @Test func inexactFunctionsKeepFifteenDigits() {
        #expect(r("81.sqrt()") == ["decimal:9.0"])
        #expect(r("2.sqrt()") == ["decimal:1.4142135623731"])
        #expect(r("(-1).sqrt()") == [])
        #expect(r("0.exp()") == ["decimal:1.0"])
        #expect(r("1.exp()") == ["decimal:2.71828182845905"])
        #expect(r("1.ln()") == ["decimal:0.0"])
        #expect(r("0.ln()") == [])
        #expect(r("16.log(2)") == ["decimal:4.0"])
        #expect(r("1000.log(10)") == ["decimal:3.0"])
        #expect(r("8.log(1)") == [])
        #expect(r("10000.exp()") == [])  // overflows a Double
    }

    @Test func powerRules() {
        #expect(r("2.power(3)") == ["integer:8"])
        #expect(r("2L.power(40)") == ["long:1099511627776"])
        #expect(r("2.power(40)") == [])  // not a 32-bit Integer
        #expect(r("2.power(-1)") == [])  // not an Integer
        #expect(r("(-1).power(-3)") == ["integer:-1"])
        #expect(r("2.5.power(2)") == ["decimal:6.25"])
        #expect(r("1.1.power(2)") == ["decimal:1.21"])
        #expect(r("4.power(0.5)") == ["decimal:2.0"])
        #expect(r("(-1).power(0.5)") == [])
        #expect(r("0.0.power(-1.0)") == [])
        #expect(FunctionProbe.errorKind("2.power('a')") == .execution)
    }

    @Test func precision() {
        #expect(r("1.58700.precision()") == ["integer:5"])
        #expect(r("7.precision()") == ["integer:0"])
        #expect(r("@2014.precision()") == ["integer:4"])
        #expect(r("@2014-01-05T10:30:00.000.precision()") == ["integer:17"])
        #expect(r("@2014-01-05T10:30.precision()") == ["integer:12"])
        #expect(r("@T10:30.precision()") == ["integer:4"])
        #expect(r("@T10:30:00.000.precision()") == ["integer:9"])
        #expect(FunctionProbe.errorKind("'a'.precision()") == .execution)
    }

    @Test func decimalBoundaries() {
        #expect(r("1.587.lowBoundary()") == ["decimal:1.58650000"])
        #expect(r("1.587.highBoundary()") == ["decimal:1.58750000"])
        #expect(r("1.587.lowBoundary(2)") == ["decimal:1.58"])
        #expect(r("1.587.highBoundary(2)") == ["decimal:1.59"])
        #expect(r("(-1.587).lowBoundary(2)") == ["decimal:-1.59"])
        #expect(r("(-1.587).highBoundary(2)") == ["decimal:-1.58"])
        #expect(r("1.lowBoundary(0)") == ["decimal:0"])
        #expect(r("1.highBoundary(0)") == ["decimal:2"])
        #expect(r("120.lowBoundary(2)") == ["decimal:119.50"])
        #expect(r("0.lowBoundary(1)") == ["decimal:-0.5"])
        #expect(r("0.highBoundary(1)") == ["decimal:0.5"])
        #expect(r("1.587.lowBoundary(-1)") == [])
        #expect(r("1.587.lowBoundary(32)") == [])
        #expect(r("1.587 'cm'.lowBoundary(4)") == ["quantity:1.5865 'cm'"])
    }

    @Test func temporalBoundaries() {
        #expect(r("@2014.lowBoundary(6)") == ["date:2014-01"])
        #expect(r("@2014.highBoundary(6)") == ["date:2014-12"])
        #expect(r("@2016-02.highBoundary()") == ["date:2016-02-29"])
        #expect(r("@2014.lowBoundary(7)") == [])
        #expect(r("@2014-01-01T08.lowBoundary(17)") == ["dateTime:2014-01-01T08:00:00.000+14:00"])
        #expect(r("@2014-01-01T08:05-05:00.highBoundary()") == ["dateTime:2014-01-01T08:05:59.999-05:00"])
        #expect(r("@2014-01-01T08.lowBoundary(8)") == ["dateTime:2014-01-01"])
        #expect(r("@T10:30.lowBoundary(9)") == ["time:10:30:00.000"])
        #expect(r("@T10:30.highBoundary()") == ["time:10:30:59.999"])
        #expect(r("@T10:30.highBoundary(6)") == ["time:10:30:59"])
    }

    @Test func aFHIRDateTimeWrittenAsADateHasTimeBoundaries() throws {
        let model = try TestSupport.coreModel()
        let json = #"{"resourceType":"Patient","identifier":[{"period":{"start":"2001-05-06"}}],"birthDate":"1970"}"#
        let patient = try FHIRJSONReader(model: model).read(json).root
        let engine = FHIRPathEngine(model: model)
        let start = try engine.compile("Patient.identifier.period.start.lowBoundary()").evaluate(patient)
        #expect(start.map(FunctionProbe.render) == ["dateTime:2001-05-06T00:00:00.000+14:00"])
        let birth = try engine.compile("Patient.birthDate.highBoundary()").evaluate(patient)
        #expect(birth.map(FunctionProbe.render) == ["date:1970-12-31"])
    }
}
