import FHIRDefinitions
import FHIRModel
import Testing

@Suite struct PackageReferenceTests {
    @Test func parsesAndPrints() throws {
        let ref = try PackageReference(parsing: "hl7.fhir.r4.core#4.0.1")
        #expect(ref.id == "hl7.fhir.r4.core")
        #expect(ref.version == "4.0.1")
        #expect(ref.description == "hl7.fhir.r4.core#4.0.1")
        #expect(ref == .r4Core)
        let npm = try PackageReference(parsing: " de.basisprofil.r4@1.4.0 ")
        #expect(npm.description == "de.basisprofil.r4#1.4.0")
        #expect(try PackageReference(parsing: "KBV.Basis#1.3.0-rc.1+build.7").version == "1.3.0-rc.1+build.7")
        #expect(try PackageReference(parsing: "hl7.fhir.us.core#current").version == "current")
    }

    @Test(arguments: [
        "hl7.fhir.r4.core", "#4.0.1", "hl7.fhir.r4.core#", "hl7..fhir#1.0.0", ".hl7#1.0.0", "hl7.#1.0.0",
        "hl7/fhir#1.0.0", "../evil#1.0.0", "hl7.fhir#1.0.0#2", "hl7.fhir#v1.0", "hl7.fhir#1..0", "hl7.fhir#1.0.0-",
        "hl7.fhir#1.0.0+", "hl7.fhir#1.2.3.4.5", "hl7.fhir#1.0/../x", "hl7 fhir#1.0.0", "-x.y#1.0.0",
    ])
    func rejectsBadForms(_ text: String) {
        #expect(throws: PackageError.self) { try PackageReference(parsing: text) }
    }

    @Test func errorNamesTheProblem() {
        do {
            _ = try PackageReference(parsing: "hl7.fhir.r4.core")
            Testing.Issue.record("expected an error")
        } catch {
            #expect(error.code == .packageInvalid)
            #expect(error.message.contains("id#version"))
        }
    }

    @Test func idLengthIsLimited() {
        let long = String(repeating: "a", count: 215)
        #expect(!PackageReference.isValidID(long))
        #expect(PackageReference.isValidID(String(repeating: "a", count: 214)))
    }

    @Test func versionOrder() {
        #expect(VersionOrder.compare("1.10.0", "1.9.0") > 0)
        #expect(VersionOrder.compare("1.0.0-ballot", "1.0.0") < 0)
        #expect(VersionOrder.compare("1.0.0-alpha.2", "1.0.0-alpha.10") < 0)
        #expect(VersionOrder.compare("1.0.0-alpha", "1.0.0-alpha.1") < 0)
        #expect(VersionOrder.compare("1.0.0-1", "1.0.0-alpha") < 0)
        #expect(VersionOrder.compare("4.0.1", "4.0.1+build") == 0)
        #expect(VersionOrder.compare("2", "10") < 0)
        #expect(VersionOrder.newest(["1.0.0", "1.10.0", "1.2.0", "1.10.0-ballot"]) == "1.10.0")
        #expect(VersionOrder.matches("4.0.1", pattern: "4.0.x"))
        #expect(!VersionOrder.matches("4.1.0", pattern: "4.0.x"))
        #expect(VersionOrder.matches("4.1.0", pattern: "4.x"))
        #expect(VersionOrder.matches("3.0.2", pattern: "latest"))
        #expect(!VersionOrder.matches("4.0.1", pattern: "4.0.2"))
    }

    @Test func referencesSortByIdThenVersion() throws {
        let refs = try ["b.x#1.0.0", "a.x#1.10.0", "a.x#1.9.0"].map(PackageReference.init(parsing:))
        #expect(refs.sorted().map(\.description) == ["a.x#1.9.0", "a.x#1.10.0", "b.x#1.0.0"])
    }
}
