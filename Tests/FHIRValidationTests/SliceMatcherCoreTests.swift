import FHIRGateTesting
import FHIRModel
import FHIRPath
import Testing

@testable import FHIRValidation

/// Slice assignment with the profiles published in the R4 core package.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
struct SliceMatcherCoreTests {
    static let bp = "http://hl7.org/fhir/StructureDefinition/bp"
    static let lipidURL = "http://hl7.org/fhir/StructureDefinition/lipidprofile"

    func component(_ code: String, system: String = "http://loinc.org") -> String {
        #"{"code":{"coding":[{"system":"\#(system)","code":"\#(code)"}]},"valueQuantity":{"value":1}}"#
    }

    @Test func bloodPressureComponentsBySystemAndCode() throws {
        let context = try #require(SlicingFixture.core)
        let root = try SlicingFixture.read(
            #"{"resourceType":"Observation","status":"final","code":{"text":"bp"},"component":["#
                + [
                    component("8462-4"), component("8480-6"), component("8480-6", system: "http://snomed.info/sct"),
                    component("1234-5"),
                ].joined(separator: ",") + "]}")
        let items = SlicingFixture.items(root, "component", resource: root)
        let (names, issues) = try SlicingFixture.assign(
            context, profile: Self.bp, element: "Observation.component", items: items, path: "Observation.component")
        #expect(names == ["DiastolicBP", "SystolicBP", nil, nil])
        #expect(issues.isEmpty, "the slicing is open: \(issues)")
    }

    @Test func componentCodingMayCarryMoreCodings() throws {
        let context = try #require(SlicingFixture.core)
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Observation","status":"final","code":{"text":"bp"},"component":[
             {"code":{"coding":[{"system":"http://snomed.info/sct","code":"271649006"},
                                {"system":"http://loinc.org","code":"8480-6","display":"Systolic"}]}}]}
            """#)
        let items = SlicingFixture.items(root, "component", resource: root)
        let (names, _) = try SlicingFixture.assign(
            context, profile: Self.bp, element: "Observation.component", items: items, path: "Observation.component")
        #expect(names == ["SystolicBP"])
    }

    @Test func codeCodingAndCategorySlices() throws {
        let context = try #require(SlicingFixture.core)
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Observation","status":"final",
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"exam"}]},
                         {"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"},{"system":"http://loinc.org","code":"8480-6"}]}}
            """#)
        let categories = SlicingFixture.items(root, "category", resource: root)
        let category = try SlicingFixture.assign(
            context, profile: Self.bp, element: "Observation.category", items: categories,
            path: "Observation.category")
        #expect(category.names == [nil, "VSCat"])
        let code = try #require(root.child(named: "code"))
        let codings = SlicingFixture.items(code, "coding", resource: root)
        let coding = try SlicingFixture.assign(
            context, profile: Self.bp, element: "Observation.code.coding", items: codings,
            path: "Observation.code.coding")
        #expect(coding.names == ["BPCode", nil])
        #expect(coding.issues.isEmpty)
    }

    @Test func closedTypeSlicingOfValue() throws {
        let context = try #require(SlicingFixture.core)
        let quantity = try SlicingFixture.read(
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1}}"#)
        let ok = try SlicingFixture.assign(
            context, profile: Self.bp, element: "Observation.value[x]",
            items: SlicingFixture.items(quantity, "value", resource: quantity), path: "Observation.value")
        #expect(ok.names == ["valueQuantity"] && ok.issues.isEmpty)

        let text = try SlicingFixture.read(
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"high"}"#)
        let bad = try SlicingFixture.assign(
            context, profile: Self.bp, element: "Observation.value[x]",
            items: SlicingFixture.items(text, "value", resource: text), path: "Observation.value")
        #expect(bad.names == [nil])
        let issue = try #require(bad.issues.first)
        #expect(bad.issues.count == 1)
        #expect(issue.code == .sliceNoMatch && issue.severity == .error)
        #expect(issue.path == "Observation.value")
        #expect(issue.message.contains("Observation.value[x]") && issue.message.contains("closed"))
        #expect(issue.message.contains("valueQuantity") && issue.message.contains("not of type Quantity"))
        #expect(!issue.message.contains("high"), "no instance values in messages")
    }

    // MARK: lipid profile: resolve().code, closed and ordered

    func report(_ refs: [String], ldlCode: String = "13457-7") -> String {
        // The profiles' displays are written with a zero-width space after the slash.
        let cholesterol = "Cholesterol [Moles/\u{200B}volume] in Serum or Plasma"
        let triglyceride = "Triglyceride [Moles/\u{200B}volume] in Serum or Plasma"
        return #"""
            {"resourceType":"DiagnosticReport","status":"final",
             "contained":[
              {"resourceType":"Observation","id":"chol","status":"final",
               "code":{"coding":[{"system":"http://loinc.org","code":"35200-5","display":"\#(cholesterol)"}]}},
              {"resourceType":"Observation","id":"trig","status":"final",
               "code":{"coding":[{"system":"http://loinc.org","code":"35217-9","display":"\#(triglyceride)"},
                                 {"system":"http://local","code":"tg"}],"text":"TG"}},
              {"resourceType":"Observation","id":"hdl","status":"final",
               "code":{"coding":[{"system":"http://loinc.org","code":"2085-9","display":"HDL Cholesterol"}]}},
              {"resourceType":"Observation","id":"ldl","status":"final",
               "code":{"coding":[{"system":"http://loinc.org","code":"\#(ldlCode)"}]}},
              {"resourceType":"Observation","id":"other","status":"final",
               "code":{"coding":[{"system":"http://loinc.org","code":"2093-3"}]}}],
             "code":{"text":"lipids"},
             "result":[\#(refs.map { "{\"reference\":\"#\($0)\"}" }.joined(separator: ","))]}
            """#
    }

    func lipid(_ refs: [String], ldlCode: String = "13457-7") throws -> (names: [String?], issues: [FHIRModel.Issue]) {
        let context = try #require(SlicingFixture.core)
        let root = try SlicingFixture.read(report(refs, ldlCode: ldlCode))
        return try SlicingFixture.assign(
            context, profile: Self.lipidURL, element: "DiagnosticReport.result",
            items: SlicingFixture.items(root, "result", resource: root), path: "DiagnosticReport.result")
    }

    @Test func resultsResolveToTheirSlices() throws {
        let (names, issues) = try lipid(["chol", "trig", "hdl", "ldl"])
        #expect(names == ["Cholesterol", "Triglyceride", "HDLCholesterol", "LDLCholesterol"])
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test func requiredBindingDecidesTheLDLSlice() throws {
        let (names, issues) = try lipid(["chol", "trig", "hdl", "ldl"], ldlCode: "18262-6")
        #expect(names.last == "LDLCholesterol")
        #expect(issues.isEmpty)
        let outside = try lipid(["chol", "trig", "hdl", "ldl"], ldlCode: "9999-9")
        #expect(outside.names.last == .some(nil))
        #expect(outside.issues.map(\.code) == [.sliceNoMatch])
        #expect(outside.issues.first?.path == "DiagnosticReport.result[3]")
        #expect(outside.issues.first?.message.contains("ldlcholesterol-codes") == true)
    }

    @Test func orderedSlicingReportsItemsOutOfOrder() throws {
        let (names, issues) = try lipid(["trig", "chol", "hdl"])
        #expect(names == ["Triglyceride", "Cholesterol", "HDLCholesterol"])
        #expect(issues.map(\.code) == [.sliceOrder])
        #expect(issues.first?.path == "DiagnosticReport.result[1]")
        #expect(issues.first?.message.contains("Cholesterol") == true)
        #expect(issues.first?.message.contains("Triglyceride") == true)
    }

    @Test func closedSlicingNamesEverySliceTried() throws {
        let (names, issues) = try lipid(["chol", "other", "trig", "hdl"])
        #expect(names == ["Cholesterol", nil, "Triglyceride", "HDLCholesterol"])
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.code == .sliceNoMatch && issue.path == "DiagnosticReport.result[1]")
        for slice in ["Cholesterol", "Triglyceride", "HDLCholesterol", "LDLCholesterol"] {
            #expect(issue.message.contains(slice), "\(slice) missing from: \(issue.message)")
        }
        #expect(issue.message.contains("resolve().code"))
        #expect(!issue.message.contains("2093-3"), "the instance's code stays out of the message")
    }

    @Test func unresolvableReferenceMatchesNoSlice() throws {
        let (names, issues) = try lipid(["chol", "nowhere", "trig", "hdl"])
        #expect(names[1] == nil)
        #expect(issues.first?.message.contains("has no value") == true)
    }

    // MARK: pattern on an element, extension slicing

    @Test func provenanceAgentsByTypePattern() throws {
        let context = try #require(SlicingFixture.core)
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Provenance","target":[{"reference":"Patient/1"}],"recorded":"2024-01-01T00:00:00Z",
             "agent":[
              {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"INF"}]},
               "who":{"reference":"Practitioner/1"}},
              {"type":{"coding":[{"system":"http://x/local","code":"writer"},
                                 {"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"AUT",
                                  "display":"author"}]},
               "who":{"reference":"Practitioner/2"}}]}
            """#)
        let (names, issues) = try SlicingFixture.assign(
            context, profile: "http://hl7.org/fhir/StructureDefinition/provenance-relevant-history",
            element: "Provenance.agent", items: SlicingFixture.items(root, "agent", resource: root),
            path: "Provenance.agent")
        #expect(names == [nil, "Author"])
        #expect(issues.isEmpty)
    }

    @Test func complexExtensionPartsByURL() throws {
        let context = try #require(SlicingFixture.core)
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Patient","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-nationality",
              "extension":[{"url":"period","valuePeriod":{"start":"2020"}},{"url":"code","valueCodeableConcept":{"text":"x"}},
                           {"url":"other","valueString":"y"}]}]}
            """#)
        let nationality = try #require(root.child(named: "extension"))
        let (names, issues) = try SlicingFixture.assign(
            context, profile: "http://hl7.org/fhir/StructureDefinition/patient-nationality",
            element: "Extension.extension", items: SlicingFixture.items(nationality, "extension", resource: root),
            path: "Patient.extension[0].extension")
        #expect(names == ["period", "code", nil])
        #expect(issues.isEmpty)
    }
}

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
struct SliceCriteriaCoverageTests {
    /// Every slice of every core profile (and US Core's, when present) gets a criterion the
    /// matcher can decide for each discriminator. The one exception is core's
    /// `example-composition`, whose sections are sliced by a `code` pattern that its slices never
    /// state (a defect of that example profile).
    @Test func everyPublishedSliceIsDecidable() throws {
        let core = try #require(SlicingFixture.core)
        var sets: [(ValidationContext, String)] = [(core, "http://hl7.org/fhir/StructureDefinition/")]
        if let usCore = SlicingFixture.usCore { sets.append((usCore, "http://hl7.org/fhir/us/core/")) }
        var checked = 0
        var undecidable: [String] = []
        for (context, prefix) in sets {
            let resolver = DiscriminatorResolver(context: context)
            for url in context.store.urls(ofType: "StructureDefinition") where url.hasPrefix(prefix) {
                guard let profile = context.profiles.profile(url: url), profile.definition.isConstraint else {
                    continue
                }
                for (base, e) in profile.elements.enumerated() {
                    guard let slicing = e.slicing else { continue }
                    let slices = try SlicingFixture.slicing(profile, e.id).slices.filter { $0 > base }
                    for slice in slices {
                        for d in slicing.discriminators {
                            checked += 1
                            let c = resolver.criterion(profile: profile, slice: slice, parent: nil, discriminator: d)
                            if case .undecidable(let reason) = c { undecidable.append(url + ": " + reason) }
                        }
                    }
                }
            }
        }
        print("slice criteria: \(checked) checked, \(undecidable.count) undecidable")
        // The published snapshots hold 194 slice discriminators in core, 39 in US Core 3.1.0.
        #expect(checked >= 194 + (sets.count > 1 ? 39 : 0))
        let unexpected = undecidable.filter {
            !$0.hasPrefix("http://hl7.org/fhir/StructureDefinition/example-composition:")
        }
        #expect(unexpected.isEmpty, "\(unexpected.prefix(20))")
    }
}
