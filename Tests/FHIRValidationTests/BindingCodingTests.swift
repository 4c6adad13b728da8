import FHIRDefinitions
import FHIRModel
import Testing

@testable import FHIRValidation

/// `checkCoding`: codes against held code systems, displays, missing systems.
@Suite(.enabled(if: BindingFixture.isAvailable, "hl7.fhir.r4.core#4.0.1 is not installed"))
struct BindingCodingTests {
    typealias F = BindingFixture

    func checkCoding(_ node: ElementNode, severity: FHIRModel.Issue.Severity = .warning) throws -> [FHIRModel.Issue] {
        var issues: [FHIRModel.Issue] = []
        try F.checker(displaySeverity: severity).checkCoding(node, path: "P.c", into: &issues)
        return issues
    }

    @Test func knownCodesAndDisplays() throws {
        #expect(try checkCoding(F.coding(system: F.genderSystem, code: "male")).isEmpty)
        #expect(try checkCoding(F.coding(system: F.genderSystem, code: "male", display: "Male")).isEmpty)
        // Case and runs of spaces do not matter; designations (other languages) count.
        #expect(try checkCoding(F.coding(system: F.genderSystem, code: "male", display: " male ")).isEmpty)
        #expect(try checkCoding(F.coding(system: F.v20131, code: "C", display: "Ansprechpartner in Notfällen")).isEmpty)

        let wrong = try checkCoding(F.coding(system: F.v20131, code: "C", display: "alt-display"))
        #expect(wrong.map(\.code) == [.codeDisplay])
        #expect(wrong.map(\.severity) == [.warning])
        #expect(wrong.first?.path == "P.c.display")
        #expect(wrong.first?.message.contains("alt-display") == false)
        // The severity can be raised (the reference validator reports an error).
        let strict = try checkCoding(F.coding(system: F.v20131, code: "C", display: "alt-display"), severity: .error)
        #expect(strict.map(\.severity) == [.error])
    }

    @Test func unknownCodeInAHeldCompleteSystem() throws {
        let issues = try checkCoding(F.coding(system: F.genderSystem, code: "boy", display: "Boy"))
        #expect(issues.map(\.code) == [.codeUnknown])
        #expect(issues.map(\.severity) == [.error])
        #expect(issues.first?.path == "P.c.code")
        #expect(issues.first?.message.contains("boy") == false)
        // Case matters in a case-sensitive system.
        #expect(try checkCoding(F.coding(system: F.genderSystem, code: "MALE")).map(\.code) == [.codeUnknown])
    }

    @Test func fragmentsWarn() throws {
        let system = "http://terminology.hl7.org/CodeSystem/insurance-plan-type"
        #expect(try checkCoding(F.coding(system: system, code: "dental")).isEmpty)
        let issues = try checkCoding(F.coding(system: system, code: "orthodontic"))
        #expect(issues.map(\.code) == [.codeUnknown])
        #expect(issues.map(\.severity) == [.warning])
    }

    @Test func systemsNotHeldAreNotChecked() throws {
        let issues = try checkCoding(F.coding(system: "http://loinc.org", code: "1234-5", display: "whatever"))
        #expect(issues.map(\.code) == [.codeNotChecked])
        #expect(issues.map(\.severity) == [.information])
        #expect(issues.first?.message.contains("loinc") == false)
    }

    @Test func grammarBasedSystems() throws {
        #expect(
            try checkCoding(F.coding(system: "urn:ietf:bcp:13", code: "text/plain")).map(\.code) == [.codeNotChecked])
        let bad = try checkCoding(F.coding(system: "urn:ietf:bcp:13", code: "text"))
        #expect(bad.map(\.code) == [.codeUnknown])
        #expect(bad.map(\.severity) == [.error])
        #expect(try checkCoding(F.coding(system: "urn:ietf:bcp:47", code: "en_US")).map(\.code) == [.codeUnknown])
    }

    @Test func missingSystemOrCode() throws {
        let issues = try checkCoding(F.coding(system: nil, code: "male"))
        #expect(issues.map(\.code) == [.codeNoSystem])
        #expect(issues.map(\.severity) == [.warning])
        #expect(try checkCoding(F.coding(system: F.genderSystem, code: nil, display: "Male")).isEmpty)
        // Only Coding nodes are checked.
        #expect(try checkCoding(F.code("boy")).isEmpty)
    }
}
