import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

#if canImport(Glibc)
    import Glibc
#endif

/// The Bundle and reference rules (run by `ResProbe` as the walker will run them) on the
/// reference validator's cases, on the official examples, and on large generated Bundles.
@Suite(.enabled(if: ResFixture.isAvailable, "hl7.fhir.r4.core#4.0.1 is not installed"))
struct BundleCorpusTests {
    static let corpus = TestSupport.sharedPath("corpora/validator")
    static let examples = TestSupport.sharedPath("corpora/examples-r4-json")

    /// Corpus files and the errors and warnings these rules should report for them: the reference
    /// validator's issues of these kinds (its other issues come from cardinality, bindings and
    /// invariants, which other parts of the validator check).
    static let expectations: [(file: String, errors: Int, warnings: Int)] = [
        ("bad-bundle-reference-type.xml", 1, 0),  // Practitioner/x resolves to an Organization entry
        ("bundle-duplicate-id.json", 2, 0),  // relative fullUrls
        ("bundle-with-extensions.xml", 1, 0),  // message entry without fullUrl
        ("bundle-id-search-1.json", 0, 2),  // no self link, no search modes
        ("bundle-id-search-2.json", 2, 0),  // repeated self and first links
        ("document-css.xml", 3, 2),  // stylesheet, fullUrl/id, unreachable entry; external/insecure css
        ("bundle-dual-target.xml", 3, 3),  // subject not in the Bundle, 2 orphans; 3 possible matches
        ("bundle-ihe-good.xml", 1, 0),  // RESTful fullUrl of another resource
        ("list-bad-reference.xml", 0, 1),  // XXX/_history/1
        ("contained.json", 0, 0), ("containedToContainer.xml", 0, 0), ("binary-ref-internal.xml", 0, 0),
        ("params-reference-fullUrl-extension.json", 0, 0), ("params-reference-transaction-bundle.json", 0, 0),
        ("parameters-reference.json", 0, 0), ("contained-invariant-instance.json", 0, 0),
        ("bundle-validation-location-1.xml", 0, 0), ("bundle-validation-location-2.xml", 0, 0),
    ]

    @Test(.enabled(if: BundleCorpusTests.corpus != nil, "../shared/corpora/validator is absent; skipped"))
    func agreesWithTheReferenceValidatorOnItsBundleAndReferenceCases() throws {
        let folder = try #require(Self.corpus)
        let context = try #require(ResFixture.context)
        for (file, errors, warnings) in Self.expectations {
            let root = try #require(ResFixture.read(folder + "/" + file), "\(file) is unreadable")
            var probe = ResProbe(context: context)
            probe.run(root)
            let e = probe.issues.filter { $0.severity <= .error }
            let w = probe.issues.filter { $0.severity == .warning }
            #expect(e.count == errors, "\(file): \(e)")
            #expect(w.count == warnings, "\(file): \(w)")
        }
    }

    /// No false errors: where the reference validator reports no error at all (base validation),
    /// these rules report none either.
    @Test(.enabled(if: BundleCorpusTests.corpus != nil, "../shared/corpora/validator is absent; skipped"))
    func reportsNoErrorWhereTheReferenceValidatorHasNone() throws {
        let folder = try #require(Self.corpus)
        let context = try #require(ResFixture.context)
        let manifest = try JSONValue.parse(try FileBytes.read(folder + "/manifest.json"))
        var checked = 0
        for item in manifest["cases"]?.arrayValue ?? [] {
            guard case .number(let n)? = item["errors"], n == "0", let file = item["file"]?.stringValue,
                let root = ResFixture.read(folder + "/" + file)
            else { continue }
            var probe = ResProbe(context: context)
            probe.run(root)
            checked += 1
            #expect(!probe.issues.contains { $0.severity <= .error }, "\(file): \(probe.issues)")
        }
        #expect(checked > 50)
    }

    /// The official examples' errors from these rules, each a genuine defect of the example.
    static let exampleDefects: [String: String] = [
        "Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json": "fullUrl .../Patient/pat12 holds Patient pat2",
        "Bundle-3a0707d3-549e-4467-b8b8-5a2ab3800efe.json": "fullUrl .../Patient/pat12 holds Patient pat2",
        "Bundle-lri-example.json": "fullUrls .../Observation/lri-* hold Observations without the lri- prefix",
        "DeviceMetric-example.json": "parent refers to a DeviceDefinition; R4 allows Device only",
        "DeviceUseStatement-example.json": "reasonReference refers to a Procedure, which R4 does not allow",
        "MedicationRequest-medrx0301.json":
            "dispenseRequest.performer refers to a Practitioner; R4 allows Organization",
        "Observation-clinical-gender.json": "performer refers to an Encounter, which R4 does not allow",
    ]

    @Test(.enabled(if: BundleCorpusTests.examples != nil, "../shared/corpora/examples-r4-json is absent; skipped"))
    func officialExamplesHaveOnlyTheirKnownDefects() throws {
        let folder = try #require(Self.examples)
        let context = try #require(ResFixture.context)
        var withErrors: Set<String> = []
        for name in TestSupport.files(in: folder, suffix: ".json") {
            let root = try #require(ResFixture.read(folder + "/" + name), "\(name) is unreadable")
            var probe = ResProbe(context: context)
            probe.run(root)
            let errors = probe.issues.filter { $0.severity <= .error && $0.code != .narrativeEmpty }
            if !errors.isEmpty { withErrors.insert(name) }
            if Self.exampleDefects[name] == nil { #expect(errors.isEmpty, "\(name): \(errors)") }
        }
        #expect(withErrors == Set(Self.exampleDefects.keys))
    }

    // MARK: - Linear time

    /// A document Bundle of `count` entries, each Observation pointing at the Patient and at the
    /// previous Observation, with urn:uuid and RESTful fullUrls mixed.
    static func largeDocument(_ count: Int) -> ElementNode {
        func entry(_ fullUrl: String, _ resource: ElementNode) -> ElementNode {
            ElementNode(
                name: "entry", typeName: "BackboneElement",
                children: [.primitive("fullUrl", type: "uri", value: fullUrl), resource], flags: .listItem)
        }
        func reference(_ name: String, _ target: String, list: Bool = false) -> ElementNode {
            ElementNode(
                name: name, typeName: "Reference",
                children: [.primitive("reference", type: "string", value: target)], flags: list ? .listItem : [])
        }
        var entries: [ElementNode] = []
        var section = ElementNode(name: "section", typeName: "BackboneElement", flags: .listItem)
        for i in 0..<count {
            section.children.append(reference("entry", "urn:uuid:00000000-0000-4000-8000-\(pad(i))", list: true))
        }
        let composition = ElementNode.resource(
            "Composition",
            children: [
                .primitive("id", type: "id", value: "c"), reference("subject", "Patient/p"), section,
            ], name: "resource")
        entries.append(entry("http://x.org/fhir/Composition/c", composition))
        entries.append(
            entry(
                "http://x.org/fhir/Patient/p",
                .resource("Patient", children: [.primitive("id", type: "id", value: "p")], name: "resource")))
        for i in 0..<count {
            var children: [ElementNode] = [reference("subject", "http://x.org/fhir/Patient/p")]
            if i > 0 {
                children.append(reference("hasMember", "urn:uuid:00000000-0000-4000-8000-\(pad(i - 1))", list: true))
            }
            entries.append(
                entry(
                    "urn:uuid:00000000-0000-4000-8000-\(pad(i))",
                    .resource("Observation", children: children, name: "resource")))
        }
        return .resource(
            "Bundle", children: [.primitive("type", type: "code", value: "document")] + entries)
    }

    static func pad(_ i: Int) -> String {
        let digits = String(i)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    static func seconds(_ body: () -> Void) -> Double {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    @Test func largeBundlesAreCheckedInLinearTime() throws {
        let model = try TestSupport.coreModel()
        let context = try #require(ResFixture.context)
        var times: [Double] = []
        for count in [5_000, 20_000] {
            let bundle = Self.largeDocument(count)
            var issues: [FHIRModel.Issue] = []
            times.append(
                Self.seconds {
                    let index = BundleIndex(bundle: bundle, model: model)
                    BundleRules.check(bundle, index: index, path: "Bundle", into: &issues)
                    let checker = ReferenceChecker(context: context)
                    for (i, entry) in index.entries.enumerated() {
                        guard let resource = entry.resource else { continue }
                        for reference in resource.children where reference.typeName == "Reference" {
                            checker.check(
                                reference, types: [], resources: [resource, bundle], bundle: index,
                                fullUrl: entry.fullUrl, path: "Bundle.entry[\(i)]", into: &issues)
                        }
                    }
                })
            #expect(issues.isEmpty, "\(issues.prefix(5))")
        }
        // Four times the entries: about four times the time (quadratic would be sixteen).
        #expect(times[1] < times[0] * 8 + 0.05, "\(times)")
    }
}
