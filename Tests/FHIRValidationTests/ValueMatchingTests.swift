import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
struct ValueMatchingTests {
    typealias TypedValue = ElementDefinitionInfo.TypedValue

    /// An element of an Observation read from JSON (`body` is the JSON after `resourceType`).
    func element(_ name: String, in body: String) throws -> ElementNode {
        let root = try SlicingFixture.read(#"{"resourceType":"Observation","status":"final","# + body + "}")
        return try #require(root.child(named: name), "no \(name)")
    }

    func value(_ type: String, _ json: String, companion: String? = nil) throws -> TypedValue {
        TypedValue(
            type: type, value: try JSONValue.parse(json), companion: try companion.map { try JSONValue.parse($0) })
    }

    // MARK: fixed

    @Test func fixedPrimitiveComparesTheLexeme() throws {
        let language = try element("language", in: #""language":"en-US""#)
        #expect(ValueMatching.matches(language, fixed: try value("code", #""en-US""#)))
        #expect(!ValueMatching.matches(language, fixed: try value("code", #""en""#)))
        #expect(ValueMatching.matches(language, pattern: try value("code", #""en-US""#)))
        #expect(!ValueMatching.matches(language, pattern: try value("code", #""EN-US""#)))
    }

    @Test func decimalsCompareByValueAndFixedNeedsThePrecision() throws {
        let node = try element("value", in: #""valueQuantity":{"value":1.50}"#)
        let number = try #require(node.child(named: "value"))
        #expect(ValueMatching.matches(number, fixed: try value("decimal", "1.50")))
        #expect(!ValueMatching.matches(number, fixed: try value("decimal", "1.5")))
        #expect(ValueMatching.matches(number, pattern: try value("decimal", "1.5")))
        #expect(!ValueMatching.matches(number, pattern: try value("decimal", "1.51")))
    }

    @Test func booleansAndIntegers() throws {
        let node = try element(
            "value", in: #""valueSampledData":{"origin":{"value":1},"period":2,"dimensions":3,"data":"1 2 3"}"#)
        let dimensions = try #require(node.child(named: "dimensions"))
        #expect(ValueMatching.matches(dimensions, fixed: try value("positiveInt", "3")))
        #expect(!ValueMatching.matches(dimensions, fixed: try value("positiveInt", "4")))
        let flag = try element("value", in: #""valueBoolean":false"#)
        #expect(ValueMatching.matches(flag, fixed: try value("boolean", "false")))
        #expect(!ValueMatching.matches(flag, fixed: try value("boolean", "true")))
    }

    @Test func fixedComplexValueAllowsNoExtraProperties() throws {
        let code = try element(
            "code", in: #""code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic"}]}"#)
        let exact = try value(
            "CodeableConcept", #"{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic"}]}"#)
        let partial = try value("CodeableConcept", #"{"coding":[{"system":"http://loinc.org","code":"8480-6"}]}"#)
        #expect(ValueMatching.matches(code, fixed: exact))
        #expect(!ValueMatching.matches(code, fixed: partial), "the node's display is not in the fixed value")
        #expect(ValueMatching.matches(code, pattern: partial), "a pattern allows extra properties")
        let other = try value("CodeableConcept", #"{"coding":[{"system":"http://loinc.org","code":"8462-4"}]}"#)
        #expect(!ValueMatching.matches(code, pattern: other))
    }

    @Test func patternArraysNeedEveryItemSomewhereFixedArraysNeedTheSameItems() throws {
        let code = try element(
            "code",
            in:
                #""code":{"coding":[{"system":"http://snomed.info/sct","code":"1"},{"system":"http://loinc.org","code":"2"}]}"#
        )
        let one = try value("CodeableConcept", #"{"coding":[{"system":"http://loinc.org","code":"2"}]}"#)
        #expect(ValueMatching.matches(code, pattern: one))
        #expect(!ValueMatching.matches(code, fixed: one), "fixed: the node has two codings, the value one")
        let both = try value(
            "CodeableConcept",
            #"{"coding":[{"system":"http://snomed.info/sct","code":"1"},{"system":"http://loinc.org","code":"2"}]}"#)
        #expect(ValueMatching.matches(code, fixed: both))
        let reversed = try value(
            "CodeableConcept",
            #"{"coding":[{"system":"http://loinc.org","code":"2"},{"system":"http://snomed.info/sct","code":"1"}]}"#)
        #expect(!ValueMatching.matches(code, fixed: reversed), "fixed arrays match in order")
        #expect(ValueMatching.matches(code, pattern: reversed), "pattern items may be anywhere")
    }

    @Test func choiceElementsUseTheirTypeAndWireNames() throws {
        let quantity = try element("value", in: #""valueQuantity":{"value":5,"code":"mg"}"#)
        #expect(quantity.isChoice && quantity.typeName == "Quantity")
        #expect(ValueMatching.matches(quantity, pattern: try value("Quantity", #"{"code":"mg"}"#)))
        #expect(!ValueMatching.matches(quantity, pattern: try value("CodeableConcept", #"{"text":"x"}"#)))
        #expect(!ValueMatching.matches(quantity, pattern: try value("Quantity", #"{"code":"g"}"#)))
        // A choice inside a complex value: `valueString` in the JSON is the node `value` of type string.
        let root = try SlicingFixture.read(
            #"{"resourceType":"Observation","status":"final","code":{"extension":[{"url":"http://x/e","valueString":"a"}]}}"#
        )
        let ext = try #require(root.child(named: "code")?.child(named: "extension"))
        #expect(ValueMatching.matches(ext, fixed: try value("Extension", #"{"url":"http://x/e","valueString":"a"}"#)))
        #expect(!ValueMatching.matches(ext, fixed: try value("Extension", #"{"url":"http://x/e","valueCode":"a"}"#)))
        #expect(ValueMatching.matches(ext, pattern: try value("Extension", #"{"valueString":"a"}"#)))
    }

    @Test func primitiveCompanionsAreMatched() throws {
        let status = try element(
            "language", in: #""language":"en","_language":{"extension":[{"url":"http://x/e","valueCode":"c"}]}"#)
        let withExtension = try value(
            "code", #""en""#, companion: #"{"extension":[{"url":"http://x/e","valueCode":"c"}]}"#)
        let otherExtension = try value(
            "code", #""en""#, companion: #"{"extension":[{"url":"http://x/e","valueCode":"d"}]}"#)
        #expect(ValueMatching.matches(status, fixed: withExtension))
        #expect(!ValueMatching.matches(status, fixed: otherExtension))
        let plain = try element("language", in: #""language":"en""#)
        #expect(!ValueMatching.matches(plain, fixed: withExtension), "the fixed extension is missing")
        #expect(
            ValueMatching.matches(status, fixed: try value("code", #""en""#)), "extensions the value omits are allowed")
    }

    // MARK: compare

    @Test func comparesNumbers() throws {
        let node = try element(
            "value", in: #""valueSampledData":{"origin":{"value":1},"period":2.50,"dimensions":3,"data":"1"}"#)
        let dimensions = try #require(node.child(named: "dimensions"))
        let period = try #require(node.child(named: "period"))
        #expect(ValueMatching.compare(dimensions, try value("integer", "3")) == 0)
        #expect(ValueMatching.compare(dimensions, try value("integer", "4")) == -1)
        #expect(ValueMatching.compare(dimensions, try value("positiveInt", "2")) == 1)
        #expect(ValueMatching.compare(period, try value("decimal", "2.5")) == 0)
        #expect(ValueMatching.compare(period, try value("decimal", "2.51")) == -1)
        #expect(ValueMatching.compare(period, try value("decimal", "-1e3")) == 1)
    }

    @Test func comparesDatesAndTimes() throws {
        let issued = try element("issued", in: #""issued":"2024-03-05T10:00:00Z""#)
        #expect(ValueMatching.compare(issued, try value("instant", #""2024-03-05T09:00:00Z""#)) == 1)
        #expect(ValueMatching.compare(issued, try value("dateTime", #""2024-03-05T12:00:00+02:00""#)) == 0)
        #expect(ValueMatching.compare(issued, try value("date", #""2025-01-01""#)) == -1)
        let effective = try element("effective", in: #""effectiveDateTime":"2024-03""#)
        #expect(ValueMatching.compare(effective, try value("date", #""2024-03-05""#)) == nil, "precision differs")
        #expect(ValueMatching.compare(effective, try value("date", #""2023-12-31""#)) == 1)
        let time = try element("value", in: #""valueTime":"10:30:00""#)
        #expect(ValueMatching.compare(time, try value("time", #""10:30:01""#)) == -1)
        #expect(ValueMatching.compare(time, try value("time", #""not a time""#)) == nil)
    }

    @Test func comparesQuantitiesInTheSameUnitOnly() throws {
        let q = try element(
            "value", in: #""valueQuantity":{"value":120,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}"#)
        let max = try value("Quantity", #"{"value":140,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}"#)
        #expect(ValueMatching.compare(q, max) == -1)
        #expect(ValueMatching.compare(q, try value("Quantity", #"{"value":120.0,"code":"mm[Hg]"}"#)) == 0)
        #expect(ValueMatching.compare(q, try value("Quantity", #"{"value":100,"code":"kPa"}"#)) == nil)
        #expect(
            ValueMatching.compare(q, try value("Quantity", #"{"value":100,"system":"http://x","code":"mm[Hg]"}"#))
                == nil)
        let flag = try element("value", in: #""valueBoolean":true"#)
        #expect(ValueMatching.compare(flag, try value("boolean", "false")) == nil, "booleans have no order")
    }
}
