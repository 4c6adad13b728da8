import Testing

@testable import FHIRValidation

/// The one byte-level reference parser on ASCII and non-ASCII text.
@Suite struct ReferenceSyntaxTests {
    @Test func relativeAndVersioned() {
        let r = ReferenceSyntax("Patient/p1/_history/2")
        #expect(r.kind == .relative && r.type == "Patient" && r.id == "p1" && r.version == "2")
        #expect(r.versionless == "Patient/p1")
    }

    @Test func absoluteWithNonASCIIPath() {
        let r = ReferenceSyntax("https://sérvér.example/fhir/Patient/ñ1?x=1")
        #expect(r.kind == .absolute && r.type == "Patient" && r.id == "ñ1")
    }

    @Test func nonASCIIRelativeAndLocal() {
        #expect(ReferenceSyntax("Patient/é").id == "é")
        #expect(ReferenceSyntax("#ü") == ReferenceSyntax("#ü"))
        #expect(ReferenceSyntax("#ü").kind == .local(id: "ü"))
        #expect(ReferenceSyntax("Patient?name=é").kind == .conditional)
    }

    @Test func schemes() {
        #expect(ReferenceSyntax.scheme(of: "urn:uuid:1") == "urn")
        #expect(ReferenceSyntax.scheme(of: "1http:x") == nil)
        #expect(ReferenceSyntax.scheme(of: "é:x") == nil)
        #expect(ReferenceSyntax("urn:uuid:0a0b").kind == .urn)
    }
}
