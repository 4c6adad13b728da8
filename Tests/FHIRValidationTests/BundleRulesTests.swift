import FHIRGateTesting
import FHIRModel
import Testing

@testable import FHIRValidation

@Suite(.enabled(if: ResFixture.isAvailable, "hl7.fhir.r4.core#4.0.1 is not installed"))
struct BundleRulesTests {
    static func bundle(_ type: String, _ entries: [String], links: String = "") throws -> ElementNode {
        let linkPart = links.isEmpty ? "" : "\"link\": [\(links)],"
        return try ResFixture.json(
            "{\"resourceType\": \"Bundle\", \"type\": \"\(type)\", \(linkPart) \"entry\": [\(entries.joined(separator: ","))]}"
        )
    }

    static func entry(_ fullUrl: String?, _ resource: String, extra: String = "") -> String {
        let url = fullUrl.map { "\"fullUrl\": \"\($0)\"," } ?? ""
        return "{\(url) \"resource\": \(resource)\(extra.isEmpty ? "" : ", " + extra)}"
    }

    static func check(_ bundle: ElementNode) throws -> [FHIRModel.Issue] {
        let model = try TestSupport.coreModel()
        var issues: [FHIRModel.Issue] = []
        BundleRules.check(bundle, index: BundleIndex(bundle: bundle, model: model), path: "Bundle", into: &issues)
        return issues
    }

    // MARK: - Index

    @Test func resolvesByTheBundleReferenceRules() throws {
        let b = try Self.bundle(
            "collection",
            [
                Self.entry("http://a.org/fhir/Patient/1", #"{"resourceType": "Patient", "id": "1"}"#),
                Self.entry("urn:uuid:5d9588d8-3cd6-4b32-8fb7-ad13694e069d", #"{"resourceType": "Organization"}"#),
                Self.entry("http://b.org/fhir/Patient/1", #"{"resourceType": "Patient", "id": "1"}"#),
                Self.entry(
                    "http://a.org/fhir/Observation/o",
                    #"{"resourceType": "Observation", "id": "o", "meta": {"versionId": "2"}}"#),
                Self.entry(
                    "http://a.org/fhir/Observation/o",
                    #"{"resourceType": "Observation", "id": "o", "meta": {"versionId": "3"}}"#),
            ])
        let index = BundleIndex(bundle: b, model: try TestSupport.coreModel())
        #expect(index.bundleType == "collection")
        #expect(index.entries.count == 5)
        // Relative against a RESTful fullUrl: same server base.
        #expect(index.resolution(of: "Patient/1", fromFullUrl: "http://a.org/fhir/Encounter/e") == .found(0))
        #expect(index.resolution(of: "Patient/1", fromFullUrl: "http://b.org/fhir/Encounter/e") == .found(2))
        #expect(index.resolution(of: "Patient/2", fromFullUrl: "http://a.org/fhir/Encounter/e") == .notFound)
        // Absolute: by fullUrl only.
        #expect(index.resolution(of: "http://b.org/fhir/Patient/1", fromFullUrl: nil) == .found(2))
        #expect(
            index.resolve("urn:uuid:5d9588d8-3cd6-4b32-8fb7-ad13694e069d", fromFullUrl: nil)?.typeName == "Organization"
        )
        // Relative from a urn:uuid entry: urn:uuid: + id (the type is checked by the reference checker).
        #expect(
            index.resolution(of: "Practitioner/5d9588d8-3cd6-4b32-8fb7-ad13694e069d", fromFullUrl: "urn:uuid:0f0e")
                == .found(1))
        // Versions select between entries sharing a fullUrl; without one the match is ambiguous.
        #expect(
            index.resolution(of: "Observation/o/_history/3", fromFullUrl: "http://a.org/fhir/Patient/1") == .found(4))
        #expect(index.resolution(of: "http://a.org/fhir/Observation/o/_history/2", fromFullUrl: nil) == .found(3))
        #expect(
            index.resolution(of: "Observation/o", fromFullUrl: "http://a.org/fhir/Patient/1") == .ambiguous([3, 4]))
        // Not Bundle references at all.
        #expect(index.resolution(of: "#x", fromFullUrl: "http://a.org/fhir/Patient/1") == .notApplicable)
        #expect(index.resolution(of: "Patient?identifier=x", fromFullUrl: nil) == .notApplicable)
        #expect(index.entryIndices(type: "Patient", id: "1") == [0, 2])
    }

    @Test func transactionsResolveFromEntriesWithoutFullUrl() throws {
        let b = try Self.bundle(
            "transaction",
            [
                Self.entry(
                    nil, #"{"resourceType": "Patient", "id": "p1"}"#,
                    extra: #""request": {"method": "PUT", "url": "Patient/p1"}"#),
                Self.entry(
                    nil, #"{"resourceType": "Observation", "status": "final", "code": {"text": "x"}}"#,
                    extra: #""request": {"method": "POST", "url": "Observation"}"#),
            ])
        let index = BundleIndex(bundle: b, model: try TestSupport.coreModel())
        #expect(index.resolution(of: "Patient/p1", fromFullUrl: nil) == .found(0))
        let collection = BundleIndex(
            bundle: try Self.bundle("collection", [Self.entry(nil, #"{"resourceType": "Patient", "id": "p1"}"#)]))
        #expect(collection.resolution(of: "Patient/p1", fromFullUrl: nil) == .notFound)
    }

    // MARK: - fullUrl

    @Test func checksFullUrls() throws {
        let issues = try Self.check(
            Self.bundle(
                "collection",
                [
                    Self.entry("Patient/1", #"{"resourceType": "Patient", "id": "1"}"#),
                    Self.entry("http://x.org/fhir/Patient/2", #"{"resourceType": "Patient", "id": "1"}"#),
                    Self.entry("http://x.org/fhir/Patient/3", #"{"resourceType": "Patient"}"#),
                    Self.entry("urn:uuid:not-a-uuid", #"{"resourceType": "Patient"}"#),
                    Self.entry("urn:oid:1.2.03", #"{"resourceType": "Patient"}"#),
                    Self.entry(nil, #"{"resourceType": "Patient"}"#),
                    Self.entry("http://x.org/fhir/Patient/7", #"{"resourceType": "Patient", "id": "7"}"#),
                    Self.entry(
                        "urn:uuid:04121321-4af5-424c-a0e1-ed3aab1c349d", #"{"resourceType": "Patient", "id": "q"}"#),
                    Self.entry("urn:oid:1.2.3.4", #"{"resourceType": "Patient"}"#),
                    Self.entry(
                        "http://x.org/vs1",
                        #"{"resourceType": "ValueSet", "status": "draft", "url": "http://x.org/vs1"}"#),
                ]))
        #expect(issues.allSatisfy { $0.code == .bundleFullUrl && $0.severity == .error })
        #expect(issues.compactMap(\.path) == (0...5).map { "Bundle.entry[\($0)]" } + ["Bundle.entry[9]"])
        #expect(issues.allSatisfy { !$0.message.contains("x.org") && !$0.message.contains("not-a-uuid") })
    }

    @Test func fullUrlIsOptionalInTransactionsAndForSearchOutcomes() throws {
        let post = Self.entry(
            nil, #"{"resourceType": "Patient"}"#, extra: #""request": {"method": "POST", "url": "Patient"}"#)
        #expect(try Self.check(Self.bundle("transaction", [post])).isEmpty)
        #expect(try Self.check(Self.bundle("batch", [post])).isEmpty)
        let outcome = Self.entry(
            nil, #"{"resourceType": "OperationOutcome", "issue": [{"severity": "warning", "code": "informational"}]}"#,
            extra: #""search": {"mode": "outcome"}"#)
        let links = #"{"relation": "self", "url": "http://x.org/fhir/Patient?name=a"}"#
        #expect(try Self.check(Self.bundle("searchset", [outcome], links: links)).isEmpty)
    }

    // MARK: - Links

    @Test func checksLinkRelationsByBundleType() throws {
        let links = [
            #"{"relation": "self", "url": "http://x.org/a"}"#, #"{"relation": "self", "url": "http://x.org/b"}"#,
            #"{"relation": "next", "url": "http://x.org/c"}"#, #"{"relation": "next", "url": "http://x.org/d"}"#,
        ].joined(separator: ",")
        let search = try Self.check(Self.bundle("searchset", [], links: links))
        #expect(search.map(\.path) == ["Bundle.link[1]", "Bundle.link[3]"])
        let collection = try Self.check(Self.bundle("collection", [], links: links))
        #expect(collection.map(\.path) == ["Bundle.link[1]", "Bundle.link[2]", "Bundle.link[3]"])
        #expect(collection.allSatisfy { $0.code == .bundleLink && $0.severity == .error })
    }

    // MARK: - Search sets

    @Test func checksSearchModes() throws {
        let links = #"{"relation": "self", "url": "http://x.org/fhir/Patient?name=a"}"#
        let entries = [
            Self.entry(
                "http://x.org/fhir/Patient/1", #"{"resourceType": "Patient", "id": "1"}"#,
                extra: #""search": {"mode": "match"}"#),
            Self.entry(
                "http://x.org/fhir/Observation/2",
                #"{"resourceType": "Observation", "id": "2", "status": "final", "code": {"text": "x"}}"#,
                extra: #""search": {"mode": "match"}"#),
            Self.entry(
                "http://x.org/fhir/Patient/3", #"{"resourceType": "Patient", "id": "3"}"#,
                extra: #""search": {"mode": "outcome"}"#),
            Self.entry("http://x.org/fhir/Patient/4", #"{"resourceType": "Patient", "id": "4"}"#),
        ]
        let issues = try Self.check(Self.bundle("searchset", entries, links: links))
        #expect(issues.filter { $0.severity == .error }.map(\.path) == ["Bundle.entry[1]", "Bundle.entry[2]"])
        #expect(issues.filter { $0.severity == .warning }.map(\.path) == ["Bundle.entry[3]"])
        // No modes at all, one type: only the missing self link.
        let plain = try Self.check(
            Self.bundle(
                "searchset", [Self.entry("http://x.org/fhir/Patient/1", #"{"resourceType": "Patient", "id": "1"}"#)]))
        #expect(plain.count == 2)
        #expect(plain.allSatisfy { $0.code == .bundleSearch && $0.severity == .warning })
    }

    // MARK: - Documents and messages

    static let composition = #"""
        {"resourceType": "Composition", "id": "c", "status": "final", "type": {"text": "t"}, "date": "2020-01-01",
         "title": "t", "subject": {"reference": "Patient/p"}, "author": [{"reference": "Practitioner/a"}],
         "section": [{"title": "s", "entry": [{"reference": "Observation/o"}, {"reference": "Observation/missing"}]}]}
        """#

    @Test func documentsReferenceAndReachTheirEntries() throws {
        let base = "http://x.org/fhir/"
        let entries = [
            Self.entry(base + "Composition/c", Self.composition),
            Self.entry(base + "Patient/p", #"{"resourceType": "Patient", "id": "p"}"#),
            Self.entry(base + "Practitioner/a", #"{"resourceType": "Practitioner", "id": "a"}"#),
            Self.entry(
                base + "Observation/o",
                #"{"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"}, "subject": {"reference": "Patient/p"}}"#
            ),
            Self.entry(
                base + "Provenance/v",
                #"{"resourceType": "Provenance", "id": "v", "target": [{"reference": "Composition/c"}], "recorded": "2020-01-01T00:00:00Z", "agent": [{"who": {"display": "x"}}]}"#
            ),
            Self.entry(
                base + "Condition/k",
                #"{"resourceType": "Condition", "id": "k", "subject": {"reference": "Patient/p"}}"#),
            Self.entry(base + "Organization/lonely", #"{"resourceType": "Organization", "id": "lonely"}"#),
        ]
        let issues = try Self.check(Self.bundle("document", entries))
        let errors = issues.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [.bundleReferenceNotFound, .bundleEntryOrphan])
        #expect(errors.map(\.path) == ["Bundle.entry[0].resource.section[0].entry[1]", "Bundle.entry[6]"])
        // The Condition only points at the document (reverse link: a warning); Provenance may.
        #expect(issues.filter { $0.severity == .warning }.map(\.path) == ["Bundle.entry[5]"])
    }

    @Test func messagesWarnAboutUnreachableEntries() throws {
        let header = #"""
            {"resourceType": "MessageHeader", "id": "h", "eventCoding": {"system": "http://x.org", "code": "e"},
             "source": {"endpoint": "http://x.org/e"}, "focus": [{"reference": "Patient/p"}, {"reference": "Patient/q"}]}
            """#
        let entries = [
            Self.entry("urn:uuid:267b18ce-3d37-4581-9baa-6fada338038b", header),
            Self.entry("urn:uuid:00000000-0000-4000-8000-000000000001", #"{"resourceType": "Patient", "id": "p"}"#),
            Self.entry("urn:uuid:00000000-0000-4000-8000-000000000002", #"{"resourceType": "Patient", "id": "z"}"#),
        ]
        // Relative references from a urn:uuid entry resolve to urn:uuid:<id>, which neither is.
        let issues = try Self.check(Self.bundle("message", entries))
        #expect(
            issues.filter { $0.severity == .error }.map(\.code) == [.bundleReferenceNotFound, .bundleReferenceNotFound])
        #expect(issues.filter { $0.severity == .warning }.map(\.path) == ["Bundle.entry[1]", "Bundle.entry[2]"])
        #expect(try Self.check(Self.bundle("message", [])).map(\.code) == [.bundleRule])
    }

    @Test func documentStylesheetsResolveOrAreTheFHIRStylesheet() throws {
        let links = [
            #"{"relation": "stylesheet", "url": "Binary/css"}"#, #"{"relation": "stylesheet", "url": "Binary/none"}"#,
            #"{"relation": "stylesheet", "url": "https://hl7.org/fhir/fhir.css"}"#,
            #"{"relation": "stylesheet", "url": "http://x.org/s.css"}"#,
        ].joined(separator: ",")
        let entries = [
            Self.entry("http://x.org/fhir/Composition/c", Self.composition),
            Self.entry(
                "http://x.org/fhir/Binary/css", #"{"resourceType": "Binary", "id": "css", "contentType": "text/css"}"#),
        ]
        let issues = try Self.check(Self.bundle("document", entries, links: links))
        let linkIssues = issues.filter { $0.code == .bundleLink }
        #expect(linkIssues.map(\.severity) == [.error, .warning, .warning])
        #expect(linkIssues.map(\.path) == ["Bundle.link[1].url", "Bundle.link[3].url", "Bundle.link[3].url"])
        // The stylesheet entry is reachable through its link.
        #expect(!issues.contains { $0.code == .bundleEntryOrphan && $0.path == "Bundle.entry[1]" })
    }
}
