import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

@testable import FHIRValidation

/// Slicing rules and discriminator kinds the published profiles do not exercise, on small
/// hand-written snapshots.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
struct SliceMatcherRulesTests {
    /// An Observation profile slicing `component` with `slicing`; `slices` are more elements.
    func components(_ slicing: String, _ slices: [String]) throws -> ResolvedProfile {
        let elements =
            [
                #"{"id":"Observation","path":"Observation","min":0,"max":"*"}"#,
                #"{"id":"Observation.component","path":"Observation.component","slicing":\#(slicing),"type":[{"code":"BackboneElement"}]}"#,
                #"{"id":"Observation.component.code","path":"Observation.component.code","min":1,"max":"1","type":[{"code":"CodeableConcept"}]}"#,
                #"{"id":"Observation.component.value[x]","path":"Observation.component.value[x]","type":[{"code":"Quantity"},{"code":"string"}]}"#,
            ] + slices
        return try SlicingFixture.profile(
            url: "http://test/components", type: "Observation", elements: "[" + elements.joined(separator: ",") + "]")
    }

    /// A slice whose `code` has a pattern with one LOINC-like coding.
    func coded(_ name: String, _ code: String, extra: [String] = [], slicing: String? = nil) -> String {
        let own = slicing.map { #","slicing":"# + $0 } ?? ""
        return
            ([
                #"{"id":"Observation.component:\#(name)","path":"Observation.component","sliceName":"\#(name)","min":0,"max":"*"\#(own)}"#,
                #"{"id":"Observation.component:\#(name).code","path":"Observation.component.code","min":1,"max":"1","type":[{"code":"CodeableConcept"}],"patternCodeableConcept":{"coding":[{"system":"http://x","code":"\#(code)"}]}}"#,
            ] + extra).joined(separator: ",")
    }

    func slicing(_ rules: String, path: String = "code", type: String = "pattern", ordered: Bool = false) -> String {
        #"{"discriminator":[{"type":"\#(type)","path":"\#(path)"}],"rules":"\#(rules)","ordered":\#(ordered)}"#
    }

    /// An Observation whose components have these codes (`-` for a component without a code,
    /// `code|unit` for one with a Quantity value).
    func observation(_ codes: [String]) throws -> (ElementNode, [FHIRPathNode]) {
        let components = codes.map { spec -> String in
            let parts = spec.split(separator: "|").map(String.init)
            let code = parts[0] == "-" ? "" : #""code":{"coding":[{"system":"http://x","code":"\#(parts[0])"}]}"#
            let value = parts.count > 1 ? #""valueQuantity":{"value":1,"code":"\#(parts[1])"}"# : ""
            return "{" + [code, value].filter { !$0.isEmpty }.joined(separator: ",") + "}"
        }
        let root = try SlicingFixture.read(
            #"{"resourceType":"Observation","status":"final","code":{"text":"t"},"component":["#
                + components.joined(separator: ",") + "]}")
        return (root, SlicingFixture.items(root, "component", resource: root))
    }

    func assign(_ profile: ResolvedProfile, _ items: [FHIRPathNode]) throws -> (
        names: [String?], issues: [FHIRModel.Issue]
    ) {
        let context = try #require(SlicingFixture.core)
        return try SlicingFixture.assign(
            context, profile, element: "Observation.component", items: items, path: "Observation.component")
    }

    @Test func closedSlicingExplainsEachSlice() throws {
        let profile = try components(slicing("closed"), [coded("a", "A"), coded("b", "B")])
        let (_, items) = try observation(["A", "C", "B"])
        let (names, issues) = try assign(profile, items)
        #expect(names == ["a", nil, "b"])
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.code == .sliceNoMatch && issue.path == "Observation.component[1]")
        #expect(issue.message.contains("a ('code' does not match the pattern"))
        #expect(issue.message.contains("b ('code' does not match the pattern"))
        let open = try components(slicing("open"), [coded("a", "A"), coded("b", "B")])
        #expect(try assign(open, items).issues.isEmpty)
    }

    @Test func openAtEndWantsUnslicedItemsLast() throws {
        let profile = try components(slicing("openAtEnd"), [coded("a", "A")])
        let (_, good) = try observation(["A", "C", "C"])
        #expect(try assign(profile, good).issues.isEmpty)
        let (_, bad) = try observation(["C", "A"])
        let (names, issues) = try assign(profile, bad)
        #expect(names == [nil, "a"])
        #expect(issues.map(\.code) == [.sliceOrder])
        #expect(issues.first?.path == "Observation.component[1]")
    }

    @Test func orderedSlicing() throws {
        let profile = try components(slicing("open", ordered: true), [coded("a", "A"), coded("b", "B")])
        let (_, good) = try observation(["A", "A", "X", "B"])
        #expect(try assign(profile, good).issues.isEmpty)
        let (_, bad) = try observation(["B", "A", "B"])
        let issues = try assign(profile, bad).issues
        #expect(issues.map(\.code) == [.sliceOrder])
        #expect(issues.first?.path == "Observation.component[1]")
    }

    @Test func itemMatchingTwoSlicesIsAmbiguous() throws {
        let profile = try components(slicing("open"), [coded("a", "A"), coded("alsoA", "A")])
        let (_, items) = try observation(["A"])
        let (names, issues) = try assign(profile, items)
        #expect(names == ["a"])
        #expect(issues.map(\.code) == [.sliceAmbiguous])
        #expect(issues.first?.message.contains("a, alsoA") == true)
    }

    @Test func resliceExplainsMatchingItsParent() throws {
        let aSlicing = #"{"discriminator":[{"type":"value","path":"value.ofType(Quantity).code"}],"rules":"open"}"#
        let a = coded("a", "A", slicing: aSlicing)
        let mg = coded(
            "a/mg", "A",
            extra: [
                #"{"id":"Observation.component:a/mg.value[x]","path":"Observation.component.value[x]","type":[{"code":"Quantity"}]}"#,
                #"{"id":"Observation.component:a/mg.value[x].code","path":"Observation.component.value[x].code","fixedCode":"mg"}"#,
            ])
        let profile = try components(slicing("closed"), [a, mg, coded("b", "B")])
        let (_, items) = try observation(["A|mg", "A|g", "B|mg", "A"])
        let (names, issues) = try assign(profile, items)
        #expect(names == ["a/mg", "a", "b", "a"])
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test func discriminatorPathReadsInsideAPattern() throws {
        let profile = try components(
            slicing("closed", path: "code.coding.code", type: "value"), [coded("a", "A"), coded("b", "B")])
        let (_, items) = try observation(["B", "A", "C"])
        let (names, issues) = try assign(profile, items)
        #expect(names == ["b", "a", nil])
        #expect(issues.map(\.code) == [.sliceNoMatch])
        #expect(issues.first?.message.contains("the pattern 'A'") == true)
    }

    @Test func existsDiscriminator() throws {
        let profile = try components(
            slicing("closed", path: "value", type: "exists"),
            [
                #"{"id":"Observation.component:measured","path":"Observation.component","sliceName":"measured"}"#,
                #"{"id":"Observation.component:measured.value[x]","path":"Observation.component.value[x]","min":1,"max":"1"}"#,
                #"{"id":"Observation.component:missing","path":"Observation.component","sliceName":"missing"}"#,
                #"{"id":"Observation.component:missing.value[x]","path":"Observation.component.value[x]","min":0,"max":"0"}"#,
            ])
        let (_, items) = try observation(["A", "A|mg"])
        let (names, issues) = try assign(profile, items)
        #expect(names == ["missing", "measured"])
        #expect(issues.isEmpty)
    }

    @Test func existsWithoutARequirementIsUndecidable() throws {
        let profile = try components(
            slicing("closed", path: "value", type: "exists"),
            [
                #"{"id":"Observation.component:either","path":"Observation.component","sliceName":"either"}"#,
                #"{"id":"Observation.component:either.value[x]","path":"Observation.component.value[x]","min":0,"max":"1"}"#,
            ])
        let (_, items) = try observation(["A|mg"])
        let (names, issues) = try assign(profile, items)
        #expect(names == [nil])
        #expect(issues.first?.message.contains("neither requires nor forbids") == true)
    }

    @Test func typeDiscriminatorWithOfType() throws {
        let profile = try components(
            slicing("closed", path: "value", type: "type"),
            [
                #"{"id":"Observation.component:q","path":"Observation.component","sliceName":"q"}"#,
                #"{"id":"Observation.component:q.value[x]","path":"Observation.component.value[x]","type":[{"code":"Quantity"}]}"#,
                #"{"id":"Observation.component:s","path":"Observation.component","sliceName":"s"}"#,
                #"{"id":"Observation.component:s.value[x]","path":"Observation.component.value[x]","type":[{"code":"string"}]}"#,
            ])
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Observation","status":"final","code":{"text":"t"},"component":[
              {"code":{"text":"1"},"valueString":"x"},{"code":{"text":"2"},"valueQuantity":{"value":1}},
              {"code":{"text":"3"}}]}
            """#)
        let (names, issues) = try assign(profile, SlicingFixture.items(root, "component", resource: root))
        #expect(names == ["s", "q", nil])
        #expect(issues.map(\.path) == ["Observation.component[2]"])
        #expect(issues.first?.message.contains("'value' has no value") == true)
    }

    @Test func profileDiscriminatorAsksTheConformanceCheck() throws {
        let context = try #require(SlicingFixture.core)
        let profile = try SlicingFixture.profile(
            url: "http://test/members", type: "Observation",
            elements: #"""
                [{"id":"Observation","path":"Observation"},
                 {"id":"Observation.hasMember","path":"Observation.hasMember","type":[{"code":"Reference"}],
                  "slicing":{"discriminator":[{"type":"profile","path":"resolve()"}],"rules":"open"}},
                 {"id":"Observation.hasMember:done","path":"Observation.hasMember","sliceName":"done",
                  "type":[{"code":"Reference","targetProfile":["http://test/final"]}]},
                 {"id":"Observation.hasMember:pending","path":"Observation.hasMember","sliceName":"pending",
                  "type":[{"code":"Reference","targetProfile":["http://test/preliminary"]}]}]
                """#)
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Observation","status":"final","code":{"text":"t"},
             "contained":[{"resourceType":"Observation","id":"p","status":"preliminary","code":{"text":"p"}},
                          {"resourceType":"Observation","id":"f","status":"final","code":{"text":"f"}},
                          {"resourceType":"Observation","id":"c","status":"cancelled","code":{"text":"c"}}],
             "hasMember":[{"reference":"#f"},{"reference":"#p"},{"reference":"#c"}]}
            """#)
        let (names, issues) = try SlicingFixture.assign(
            context, profile, element: "Observation.hasMember",
            items: SlicingFixture.items(root, "hasMember", resource: root), path: "Observation.hasMember",
            conforms: { node, url in
                let status = node.element.childValue("status")
                return (url == "http://test/final" && status == "final")
                    || (url == "http://test/preliminary" && status == "preliminary")
            })
        #expect(names == ["done", "pending", nil])
        #expect(issues.isEmpty)
    }

    @Test func followsTheSliceTypeProfileForMissingChildren() throws {
        let context = try #require(SlicingFixture.core)
        context.profiles.register(
            StructureDefinitionInfo(
                json: try JSONValue.parse(
                    #"""
                    {"resourceType":"StructureDefinition","url":"http://test/local-coding","type":"Coding",
                     "kind":"complex-type","derivation":"constraint","snapshot":{"element":[
                      {"id":"Coding","path":"Coding"},
                      {"id":"Coding.system","path":"Coding.system","min":1,"fixedUri":"http://x/local"},
                      {"id":"Coding.code","path":"Coding.code","min":1}]}}
                    """#)))
        let profile = try SlicingFixture.profile(
            url: "http://test/codings", type: "Observation",
            elements: #"""
                [{"id":"Observation","path":"Observation"},
                 {"id":"Observation.code","path":"Observation.code","type":[{"code":"CodeableConcept"}]},
                 {"id":"Observation.code.coding","path":"Observation.code.coding","type":[{"code":"Coding"}],
                  "slicing":{"discriminator":[{"type":"value","path":"system"}],"rules":"open"}},
                 {"id":"Observation.code.coding:local","path":"Observation.code.coding","sliceName":"local",
                  "type":[{"code":"Coding","profile":["http://test/local-coding"]}]},
                 {"id":"Observation.code.coding:loinc","path":"Observation.code.coding","sliceName":"loinc",
                  "type":[{"code":"Coding"}],"patternCoding":{"system":"http://loinc.org"}}]
                """#)
        let root = try SlicingFixture.read(
            #"""
            {"resourceType":"Observation","status":"final","code":{"coding":[
              {"system":"http://loinc.org","code":"1"},{"system":"http://x/local","code":"2"},{"code":"3"}]}}
            """#)
        let code = try #require(root.child(named: "code"))
        let (names, issues) = try SlicingFixture.assign(
            context, profile, element: "Observation.code.coding",
            items: SlicingFixture.items(code, "coding", resource: root), path: "Observation.code.coding")
        #expect(names == ["loinc", "local", nil])
        #expect(issues.isEmpty)
    }

    @Test func unsupportedPathsAndMissingDiscriminators() throws {
        let unsupported = try components(slicing("closed", path: "code.where(true)", type: "value"), [coded("a", "A")])
        let (_, items) = try observation(["A"])
        let result = try assign(unsupported, items)
        #expect(result.names == [nil])
        #expect(result.issues.first?.message.contains("is not supported") == true)

        let none = try components(#"{"rules":"closed"}"#, [coded("a", "A")])
        let noDiscriminators = try assign(none, items)
        #expect(noDiscriminators.names == [nil])
        #expect(noDiscriminators.issues.map(\.severity) == [.information])
    }

    @Test func discriminatorPathsParse() {
        #expect(DiscriminatorStep.parse("$this") == [.this])
        #expect(DiscriminatorStep.parse("code.coding.system") == [.name("code"), .name("coding"), .name("system")])
        #expect(
            DiscriminatorStep.parse("extension('http://x/a.b').value")
                == [.extensionURL("http://x/a.b"), .name("value")])
        #expect(DiscriminatorStep.parse("resolve().code") == [.resolve, .name("code")])
        #expect(DiscriminatorStep.parse("value.ofType(FHIR.Quantity)") == [.name("value"), .ofType("Quantity")])
        #expect(DiscriminatorStep.parse("code.where(true)") == nil)
        #expect(DiscriminatorStep.parse("") == nil)
    }
}
