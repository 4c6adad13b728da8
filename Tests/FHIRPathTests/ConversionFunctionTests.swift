import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

@Suite struct ConversionFunctionTests {
    func r(_ text: String) -> [String] { FunctionProbe.render(text) }

    @Test func toBooleanTable() {
        for word in ["true", "T", "Yes", "y", "1", "1.0"] {
            #expect(r("'\(word)'.toBoolean()") == ["boolean:true"], "\(word)")
        }
        for word in ["false", "F", "NO", "n", "0", "0.0"] {
            #expect(r("'\(word)'.toBoolean()") == ["boolean:false"], "\(word)")
        }
        #expect(r("'maybe'.toBoolean()") == [])
        #expect(r("1.toBoolean()") == ["boolean:true"])
        #expect(r("0.toBoolean()") == ["boolean:false"])
        #expect(r("2.toBoolean()") == [])
        #expect(r("1.00.toBoolean()") == ["boolean:true"])
        #expect(r("0.5.toBoolean()") == [])
        #expect(r("'maybe'.convertsToBoolean()") == ["boolean:false"])
        #expect(r("(-1).convertsToBoolean()") == ["boolean:false"])
        #expect(r("@2014.convertsToBoolean()") == ["boolean:false"])
    }

    @Test func numberConversions() {
        #expect(r("'-12'.toInteger()") == ["integer:-12"])
        #expect(r("'+7'.toInteger()") == ["integer:7"])
        #expect(r("'1.0'.toInteger()") == [])
        #expect(r("' 1'.toInteger()") == [])
        #expect(r("'2147483648'.toInteger()") == [])
        #expect(r("true.toInteger()") == ["integer:1"])
        #expect(r("1.5.toInteger()") == [])
        #expect(r("'2147483648'.toLong()") == ["long:2147483648"])
        #expect(r("5.toLong()") == ["long:5"])
        #expect(r("'0012.50'.toDecimal()") == ["decimal:12.50"])
        #expect(r("'-1'.toDecimal()") == ["decimal:-1"])
        #expect(r("'1.'.toDecimal()") == [])
        #expect(r("'1e5'.toDecimal()") == [])
        #expect(r("false.toDecimal()") == ["decimal:0.0"])
        #expect(r("3.toDecimal()") == ["decimal:3"])
        #expect(r("'abc'.convertsToDecimal()") == ["boolean:false"])
        #expect(r("'1'.convertsToInteger()") == ["boolean:true"])
    }

    @Test func toStringForms() {
        #expect(r("1.toString()") == ["string:1"])
        #expect(r("1.50.toString()") == ["string:1.50"])
        #expect(r("true.toString()") == ["string:true"])
        #expect(r("1 'wk'.toString()") == ["string:1 'wk'"])
        #expect(r("1 week.toString()") == ["string:1 week"])
        #expect(r("3 days.toString()") == ["string:3 days"])
        #expect(r("@2014-12-14.toString()") == ["string:2014-12-14"])
        #expect(r("@2015T.toString()") == ["string:2015"])
        #expect(r("@2015-02-04T14:34:28Z.toString()") == ["string:2015-02-04T14:34:28Z"])
        #expect(r("@T14:34.toString()") == ["string:14:34"])
        #expect(r("{}.toString()") == [])
        #expect(FunctionProbe.errorKind("(1 | 2).toString()") == .execution)
    }

    @Test func temporalConversions() {
        #expect(r("'2015-02'.toDate()") == ["date:2015-02"])
        #expect(r("'2015-02-04T10:00'.toDate()") == [])
        #expect(r("'2015-02-30'.toDate()") == [])
        #expect(r("@2015-02-04T14:34.toDate()") == ["date:2015-02-04"])
        #expect(r("'2015-02-04T14:34:28+10:00'.toDateTime()") == ["dateTime:2015-02-04T14:34:28+10:00"])
        #expect(r("'2015'.toDateTime()") == ["dateTime:2015"])
        #expect(r("@2015-02-04.toDateTime()") == ["dateTime:2015-02-04"])
        #expect(r("'2015-13'.convertsToDateTime()") == ["boolean:false"])
        #expect(r("'14:34:28.123'.toTime()") == ["time:14:34:28.123"])
        #expect(r("'25:00'.toTime()") == [])
        #expect(r("'14:34Z'.convertsToTime()") == ["boolean:false"])
        #expect(r("1.convertsToDate()") == ["boolean:false"])
    }

    @Test func toQuantityReadsLiterals() {
        #expect(r("'4 days'.toQuantity()") == ["quantity:4 day"])
        #expect(r("'5.5 \\'mg\\''.toQuantity()") == ["quantity:5.5 'mg'"])
        #expect(r("'5.5\\'mg\\''.toQuantity()") == ["quantity:5.5 'mg'"])
        #expect(r("'7'.toQuantity()") == ["quantity:7 '1'"])
        #expect(r("'1 wk'.toQuantity()") == [])
        #expect(r("'1 \\'\\''.toQuantity()") == [])
        #expect(r("'mg'.toQuantity()") == [])
        #expect(r("2.toQuantity()") == ["quantity:2 '1'"])
        #expect(r("true.toQuantity()") == ["quantity:1.0 '1'"])
        #expect(r("'1 wk'.convertsToQuantity()") == ["boolean:false"])
        #expect(r("5 'mg'.toQuantity('mg')") == ["quantity:5 'mg'"])
    }

    @Test func toQuantityConvertsUnits() {
        #expect(r("1 'g'.toQuantity('mg')") == ["quantity:1000 'mg'"])
        #expect(r("1 'g'.convertsToQuantity('mL')") == ["boolean:false"])
        #expect(r("1 'g'.toQuantity({})") == [])
    }

    @Test func fhirElementsConvert() throws {
        let model = try TestSupport.coreModel()
        let json = #"""
            {"resourceType":"Observation","status":"final","code":{"text":"x"},
             "valueQuantity":{"value":185,"unit":"lbs","system":"http://unitsofmeasure.org","code":"[lb_av]"},
             "effectiveDateTime":"2020-01-02T10:00:00Z"}
            """#
        let observation = try FHIRJSONReader(model: model).read(json).root
        let engine = FHIRPathEngine(model: model)
        func run(_ text: String) throws -> [String] {
            try engine.compile(text).evaluate(observation).map(FunctionProbe.render)
        }
        #expect(try run("Observation.value.toQuantity()") == ["quantity:185 '[lb_av]'"])
        #expect(try run("Observation.value.toString()") == ["string:185 '[lb_av]'"])
        #expect(try run("Observation.effective.toDate()") == ["date:2020-01-02"])
        #expect(try run("Observation.code.convertsToString()") == ["boolean:false"])
        #expect(try run("Observation.status.toString()") == ["string:final"])
    }
}
