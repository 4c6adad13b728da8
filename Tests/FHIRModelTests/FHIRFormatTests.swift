import Testing

@testable import FHIRModel

@Suite struct FHIRFormatTests {
    @Test func contentTypesMapToFormats() {
        #expect(FHIRFormat(contentType: "application/fhir+json;charset=utf-8") == .json)
        #expect(FHIRFormat(contentType: " Application/FHIR+XML ; fhirVersion=4.0") == .xml)
        #expect(FHIRFormat(contentType: "application/json") == .json)
        #expect(FHIRFormat(contentType: "text/html") == nil)
        #expect(FHIRFormat.xml.headerValue == "application/fhir+xml; fhirVersion=4.0")
    }
}
