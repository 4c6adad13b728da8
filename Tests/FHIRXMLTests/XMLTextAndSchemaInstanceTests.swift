import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRXML

/// Stray text is reported once per text node; `xsi:` attributes are not allowed in FHIR XML.
@Suite(.enabled(if: XMLTest.hasModel, "needs the R4 core package"))
struct XMLTextAndSchemaInstanceTests {
    @Test func strayTextIsReportedPerTextNode() throws {
        let xml = XMLTest.resource(
            "Patient",
            "\n  <id value=\"p\"/> one\n  <active value=\"true\"/>\n two <!-- c --> three\n  <gender value=\"male\">four</gender>\n"
        )
        let parsed = try XMLTest.read(xml)
        let text = parsed.issues.filter { $0.code == .xmlUnexpectedText }
        // "one", "two" and "three" (split by a comment) under Patient, "four" under gender.
        #expect(text.map(\.path) == ["Patient", "Patient", "Patient", "Patient.gender"], "\(text)")
        #expect(!text.contains { $0.message.contains("one") || $0.message.contains("four") })
    }

    @Test func whitespaceAndLongTextRunsAreOneNode() throws {
        let long = String(repeating: "x", count: 300_000)
        let parsed = try XMLTest.read(XMLTest.resource("Patient", "\n\t <id value=\"p\"/>  \(long)  \n"))
        #expect(parsed.issues.filter { $0.code == .xmlUnexpectedText }.count == 1)
        let clean = try XMLTest.read(XMLTest.resource("Patient", "\n\t <id value=\"p\"/>\r\n  "))
        #expect(clean.issues.isEmpty)
    }

    @Test func schemaInstanceAttributesAreErrors() throws {
        let xsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        let root = try XMLTest.read(
            "<Patient xmlns=\"http://hl7.org/fhir\" \(xsi) xsi:schemaLocation=\"http://hl7.org/fhir patient.xsd\"><id value=\"p\"/></Patient>"
        )
        #expect(root.issues.map(\.code) == [.xmlSchemaInstance])
        #expect(root.issues.first?.path == "Patient")
        #expect(root.issues.first?.message.contains("'schemaLocation'") == true)
        let element = try XMLTest.read(
            "<Patient xmlns=\"http://hl7.org/fhir\" \(xsi)><id value=\"p\"/><active xsi:nil=\"true\" value=\"true\"/></Patient>"
        )
        #expect(element.issues.map(\.code) == [.xmlSchemaInstance])
        #expect(element.issues.first?.path == "Patient.active")
        // Declaring the namespace alone is not reported.
        let declared = try XMLTest.read("<Patient xmlns=\"http://hl7.org/fhir\" \(xsi)><id value=\"p\"/></Patient>")
        #expect(declared.issues.isEmpty)
    }
}
