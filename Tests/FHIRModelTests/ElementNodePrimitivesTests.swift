import FHIRModel
import Testing

@Suite("ElementNode typed primitive accessors")
struct ElementNodePrimitivesTests {
    @Test func decimalKeepsTheLexeme() throws {
        let node = ElementNode.primitive("value", type: "decimal", value: "1.10")
        let d = try #require(node.decimalValue)
        #expect(d.precision == 2)
        #expect(d == FHIRDecimal("1.1"))
        #expect(node.stringValue == "1.10")
        #expect(node.value == "1.10")
    }

    @Test func integersAndBooleans() {
        #expect(ElementNode.primitive("count", type: "integer", value: "-42").integerValue == -42)
        #expect(ElementNode.primitive("count", type: "integer", value: "2147483648").integerValue == nil)
        #expect(ElementNode.primitive("count", type: "integer", value: "1.0").integerValue == nil)
        #expect(ElementNode.primitive("count", type: "integer", value: "007").integerValue == nil)
        #expect(ElementNode.primitive("active", type: "boolean", value: "true").booleanValue == true)
        #expect(ElementNode.primitive("active", type: "boolean", value: "false").booleanValue == false)
        #expect(ElementNode.primitive("active", type: "boolean", value: "TRUE").booleanValue == nil)
    }

    @Test func temporalViews() throws {
        let birth = ElementNode.primitive("birthDate", type: "date", value: "1984-02-29")
        #expect(birth.dateValue?.day == 29)
        #expect(birth.dateTimeValue?.precision == .day)
        #expect(birth.instantValue == nil)
        let issued = ElementNode.primitive("issued", type: "instant", value: "2024-01-01T10:00:00.125+02:00")
        #expect(issued.instantValue?.fractionDigits == "125")
        #expect(issued.dateTimeValue?.timeZoneOffset?.minutes == 120)
        #expect(issued.dateValue == nil)
        let time = ElementNode.primitive("time", type: "time", value: "08:15:00")
        #expect(time.timeValue?.minute == 15)
        #expect(ElementNode.primitive("birthDate", type: "date", value: "2023-02-29").dateValue == nil)
    }

    @Test func valuelessAndComplexNodes() {
        let extOnly = ElementNode.primitive("birthDate", type: "date", value: nil)
        #expect(extOnly.dateValue == nil)
        #expect(extOnly.stringValue == nil)
        #expect(extOnly.decimalValue == nil)
        #expect(extOnly.booleanValue == nil)
        #expect(extOnly.integerValue == nil)
        let complex = ElementNode(name: "code", typeName: "CodeableConcept")
        #expect(complex.timeValue == nil)
        #expect(complex.dateTimeValue == nil)
    }
}
