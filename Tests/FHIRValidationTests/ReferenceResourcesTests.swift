import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRValidation

/// The index of local reference resources: what a reference finds, and reading files and folders.
@Suite(.enabled(if: ResFixture.isAvailable, "hl7.fhir.r4.core#4.0.1 is not installed"))
struct ReferenceResourcesTests {
    static func isResourceType(_ name: String) -> Bool {
        (try? TestSupport.coreModel().isResourceType(name)) ?? false
    }

    static func found(_ resolution: ReferenceResources.Resolution) -> ElementNode? {
        if case .found(let entry) = resolution { return entry.resource }
        return nil
    }

    static let resources: ReferenceResources? = {
        let texts = [
            #"{"resourceType": "Patient", "id": "p1", "gender": "other"}"#,
            #"{"resourceType": "ValueSet", "id": "vs", "url": "http://example.org/fhir/ValueSet/colours", "#
                + #""version": "2.0", "status": "active"}"#,
            #"{"resourceType": "Bundle", "type": "collection", "entry": ["#
                + #"{"fullUrl": "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0", "#
                + #""resource": {"resourceType": "Organization", "id": "o1"}},"#
                + #"{"fullUrl": "http://a.org/fhir/Patient/p1", "resource": {"resourceType": "Patient", "id": "p1"}}]}"#,
            #"{"resourceType": "Practitioner", "id": "twice"}"#,
            #"{"resourceType": "Practitioner", "id": "twice", "active": true}"#,
        ]
        let nodes = texts.compactMap { try? ResFixture.json($0) }
        return nodes.count == texts.count ? ReferenceResources(resources: nodes) : nil
    }()

    @Test func relativeReferencesFindTypeAndID() throws {
        let index = try #require(Self.resources)
        let patient = try #require(Self.found(index.resolve("Patient/p1", isResourceType: Self.isResourceType)))
        // The document comes before the Bundle entry with the same type and id.
        #expect(patient.childValue("gender") == "other")
        #expect(Self.found(index.resolve("Patient/p1/_history/3", isResourceType: Self.isResourceType)) != nil)
        #expect(Self.found(index.resolve("Patient/p2", isResourceType: Self.isResourceType)) == nil)
        #expect(Self.found(index.resolve("Organization/o1", isResourceType: Self.isResourceType)) != nil)
        // Local, conditional and malformed references are not looked up.
        #expect(Self.found(index.resolve("#p1", isResourceType: Self.isResourceType)) == nil)
        #expect(Self.found(index.resolve("Patient?identifier=x", isResourceType: Self.isResourceType)) == nil)
    }

    @Test func absoluteReferencesFindFullUrlCanonicalOrTail() throws {
        let index = try #require(Self.resources)
        let org = Self.found(
            index.resolve("urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0", isResourceType: Self.isResourceType))
        #expect(org?.typeName == "Organization")
        // The fullUrl of the Bundle entry wins over the document with the same Type/id.
        let entry = Self.found(index.resolve("http://a.org/fhir/Patient/p1", isResourceType: Self.isResourceType))
        #expect(entry?.childValue("gender") == nil)
        // Another server's URL ending in Type/id finds the resource by its type and id.
        let tail = Self.found(index.resolve("https://b.org/r4/Patient/p1", isResourceType: Self.isResourceType))
        #expect(tail?.childValue("gender") == "other")
        let canonical = "http://example.org/fhir/ValueSet/colours"
        #expect(Self.found(index.resolve(canonical, isResourceType: Self.isResourceType))?.typeName == "ValueSet")
        #expect(Self.found(index.resolve(canonical + "|2.0", isResourceType: Self.isResourceType)) != nil)
        #expect(Self.found(index.resolve("http://example.org/nothing", isResourceType: Self.isResourceType)) == nil)
    }

    @Test func duplicateDocumentsAreAmbiguous() throws {
        let index = try #require(Self.resources)
        guard case .ambiguous(let list) = index.resolve("Practitioner/twice", isResourceType: Self.isResourceType)
        else {
            Testing.Issue.record("expected an ambiguous resolution")
            return
        }
        #expect(list.count == 2)
    }

    @Test func readsFilesFoldersAndStreams() throws {
        let model = try TestSupport.coreModel()
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-refres")
        defer { TestSupport.removeTree(dir) }
        let files: [(String, String)] = [
            ("a.json", #"{"resourceType": "Patient", "id": "a"}"#),
            ("b.xml", #"<Patient xmlns="http://hl7.org/fhir"><id value="b"/></Patient>"#),
            (
                "c.ndjson",
                #"{"resourceType": "Patient", "id": "c1"}"# + "\n" + #"{"resourceType": "Patient", "id": "c2"}"# + "\n"
            ),
            ("broken.json", #"{"resourceType": "Patient", "id": "#),
            ("notes.txt", "not a resource"),
        ]
        for (name, text) in files { try FileBytes.writeAtomically(Array(text.utf8), to: dir + "/" + name) }
        let index = ReferenceResources(paths: [dir], model: model)
        #expect(index.entries.count == 4)
        #expect(index.issues.count == 1)
        #expect(index.issues.first?.code == .referenceResourcesUnreadable)
        #expect(index.issues.first?.severity == .warning)
        for id in ["a", "b", "c1", "c2"] {
            #expect(Self.found(index.resolve("Patient/" + id, isResourceType: Self.isResourceType)) != nil)
        }
        // A single file is read as well; a missing path gives nothing.
        #expect(ReferenceResources(paths: [dir + "/b.xml"], model: model).entries.count == 1)
        #expect(ReferenceResources(paths: [dir + "/missing.json"], model: model).entries.isEmpty)
    }
}
