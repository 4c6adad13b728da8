import FHIRDefinitions
import FHIRJSON
import Testing

/// Filters, hierarchy, case sensitivity, fragments, nesting and expansions, over small hand-made
/// CodeSystems and ValueSets loaded from a temporary folder.
@Suite struct LocalTerminologyFilterTests {
    static let shapes = "http://example.org/cs/shapes"
    static let vsBase = "http://example.org/vs/"

    /// polygon > (triangle, quadrilateral > (square, rectangle)); rhombus under quadrilateral by a
    /// `parent` property, kite by quadrilateral's `child` property, oval under circle by `subsumedBy`.
    static let codeSystem = """
        {"resourceType":"CodeSystem","url":"http://example.org/cs/shapes","status":"active","content":"complete",
         "caseSensitive":false,
         "property":[{"code":"sides","type":"integer"},{"code":"color","type":"code"},
                     {"code":"parent","type":"code"},{"code":"child","type":"code"},{"code":"subsumedBy","type":"code"}],
         "concept":[
          {"code":"polygon","display":"Polygon","concept":[
            {"code":"triangle","display":"Triangle","property":[{"code":"sides","valueInteger":3},{"code":"color","valueCode":"red"}]},
            {"code":"quadrilateral","display":"Quadrilateral","property":[{"code":"sides","valueInteger":4},{"code":"child","valueCode":"kite"}],
             "concept":[
              {"code":"square","display":"Square","designation":[{"language":"de","value":"Quadrat"}],
               "property":[{"code":"sides","valueInteger":4},{"code":"color","valueCode":"red"}]},
              {"code":"rectangle","display":"Rectangle","property":[{"code":"sides","valueInteger":4}]}]}]},
          {"code":"rhombus","display":"Rhombus","property":[{"code":"parent","valueCode":"quadrilateral"}]},
          {"code":"kite","display":"Kite"},
          {"code":"circle","display":"Circle","property":[{"code":"color","valueCode":"blue"}]},
          {"code":"oval","display":"Oval","property":[{"code":"subsumedBy","valueCode":"circle"}]}
         ]}
        """

    static func valueSet(_ id: String, _ compose: String) -> String {
        """
        {"resourceType":"ValueSet","url":"\(vsBase)\(id)","status":"active","compose":\(compose)}
        """
    }

    static func filter(_ property: String, _ op: String, _ value: String) -> String {
        """
        {"include":[{"system":"\(shapes)","filter":[{"property":"\(property)","op":"\(op)","value":"\(value)"}]}]}
        """
    }

    /// A store over the hand-made definitions (no packages).
    static let store: DefinitionStore? = {
        guard let dir = try? TemporaryDirectory("terminology") else { return nil }
        let files: [(String, String)] = [
            ("CodeSystem-shapes.json", codeSystem),
            (
                "CodeSystem-fragment.json",
                """
                {"resourceType":"CodeSystem","url":"http://example.org/cs/partial","status":"active","content":"fragment",
                 "concept":[{"code":"a","display":"A"},{"code":"b"}]}
                """
            ),
            ("ValueSet-is-a.json", valueSet("is-a", filter("concept", "is-a", "quadrilateral"))),
            (
                "ValueSet-descendent-of.json",
                valueSet("descendent-of", filter("concept", "descendent-of", "quadrilateral"))
            ),
            ("ValueSet-is-not-a.json", valueSet("is-not-a", filter("concept", "is-not-a", "polygon"))),
            ("ValueSet-generalizes.json", valueSet("generalizes", filter("concept", "generalizes", "square"))),
            ("ValueSet-child-of.json", valueSet("child-of", filter("concept", "child-of", "polygon"))),
            ("ValueSet-red.json", valueSet("red", filter("color", "=", "red"))),
            ("ValueSet-concept-eq.json", valueSet("concept-eq", filter("concept", "=", "circle"))),
            ("ValueSet-in.json", valueSet("in", filter("concept", "in", "circle, square"))),
            ("ValueSet-not-in.json", valueSet("not-in", filter("color", "not-in", "red,blue"))),
            ("ValueSet-regex.json", valueSet("regex", filter("code", "regex", "[rs].*"))),
            ("ValueSet-has-sides.json", valueSet("has-sides", filter("sides", "exists", "true"))),
            ("ValueSet-no-sides.json", valueSet("no-sides", filter("sides", "exists", "false"))),
            ("ValueSet-undefined-property.json", valueSet("undefined-property", filter("weight", "=", "1"))),
            ("ValueSet-unknown-op.json", valueSet("unknown-op", filter("concept", "near", "square"))),
            (
                "ValueSet-include-exclude.json",
                valueSet(
                    "include-exclude",
                    """
                    {"include":[{"system":"\(shapes)"}],
                     "exclude":[{"system":"\(shapes)","filter":[{"property":"concept","op":"is-a","value":"polygon"}]}]}
                    """)
            ),
            (
                "ValueSet-nested.json",
                valueSet(
                    "nested",
                    """
                    {"include":[{"valueSet":["\(vsBase)is-a"]},{"system":"\(shapes)","concept":[{"code":"circle"}]}]}
                    """)
            ),
            (
                "ValueSet-intersection.json",
                valueSet(
                    "intersection",
                    """
                    {"include":[{"system":"\(shapes)","valueSet":["\(vsBase)is-a","\(vsBase)red"]}]}
                    """)
            ),
            ("ValueSet-cycle-a.json", valueSet("cycle-a", "{\"include\":[{\"valueSet\":[\"\(vsBase)cycle-b\"]}]}")),
            ("ValueSet-cycle-b.json", valueSet("cycle-b", "{\"include\":[{\"valueSet\":[\"\(vsBase)cycle-a\"]}]}")),
            (
                "ValueSet-mixed.json",
                valueSet(
                    "mixed",
                    """
                    {"include":[{"system":"\(shapes)","concept":[{"code":"circle"}]},
                                {"system":"http://snomed.info/sct","filter":[{"property":"concept","op":"is-a","value":"1"}]}]}
                    """)
            ),
            (
                "ValueSet-fragment.json",
                valueSet("fragment", "{\"include\":[{\"system\":\"http://example.org/cs/partial\"}]}")
            ),
            (
                "ValueSet-expanded.json",
                """
                {"resourceType":"ValueSet","url":"\(vsBase)expanded","status":"active",
                 "expansion":{"timestamp":"2024-01-01","contains":[
                   {"system":"\(shapes)","code":"square","display":"Four equal sides"},
                   {"system":"\(shapes)","code":"circle","designation":[{"value":"Round"}],
                    "contains":[{"system":"\(shapes)","code":"oval"}]}]}}
                """
            ),
            (
                "ValueSet-partial-expansion.json",
                """
                {"resourceType":"ValueSet","url":"\(vsBase)partial-expansion","status":"active",
                 "compose":{"include":[{"system":"\(shapes)","filter":[{"property":"concept","op":"is-a","value":"circle"}]}]},
                 "expansion":{"timestamp":"2024-01-01","total":2,"contains":[{"system":"\(shapes)","code":"circle"}]}}
                """
            ),
            ("ValueSet-empty.json", "{\"resourceType\":\"ValueSet\",\"url\":\"\(vsBase)empty\",\"status\":\"draft\"}"),
        ]
        for (name, text) in files { _ = try? dir.write(name, text) }
        return DefinitionStore.load(.init(packages: [], packageCache: CoreFixture.cache, extraPaths: [dir.path]))
    }()

    func membership(_ code: String, _ vs: String, system: String? = shapes) throws -> LocalTerminology.Membership {
        let store = try #require(Self.store)
        #expect(store.issues.isEmpty, "\(store.issues)")
        return LocalTerminology(store: store).membership(system: system, code: code, valueSet: Self.vsBase + vs)
    }

    @Test func hierarchyFilters() throws {
        // Nested concepts, a `parent` property and a `child` property all make children.
        for code in ["quadrilateral", "square", "rectangle", "rhombus", "kite"] {
            #expect(try membership(code, "is-a") == .member, "\(code)")
        }
        #expect(try membership("triangle", "is-a") == .notMember)
        #expect(try membership("quadrilateral", "descendent-of") == .notMember)
        #expect(try membership("kite", "descendent-of") == .member)
        #expect(try membership("circle", "is-not-a") == .member)
        #expect(try membership("oval", "is-not-a") == .member)
        #expect(try membership("square", "is-not-a") == .notMember)
        #expect(try membership("polygon", "is-not-a") == .notMember)
        for code in ["square", "quadrilateral", "polygon"] { #expect(try membership(code, "generalizes") == .member) }
        #expect(try membership("rectangle", "generalizes") == .notMember)
        #expect(try membership("triangle", "child-of") == .member)
        #expect(try membership("square", "child-of") == .notMember)
    }

    @Test func propertyFilters() throws {
        #expect(try membership("triangle", "red") == .member)
        #expect(try membership("square", "red") == .member)
        #expect(try membership("circle", "red") == .notMember)
        #expect(try membership("circle", "concept-eq") == .member)
        #expect(try membership("oval", "concept-eq") == .notMember)
        #expect(try membership("square", "in") == .member)
        #expect(try membership("triangle", "in") == .notMember)
        #expect(try membership("rectangle", "not-in") == .member)
        #expect(try membership("circle", "not-in") == .notMember)
        #expect(try membership("rhombus", "regex") == .member)
        #expect(try membership("square", "regex") == .member)
        // A regex matches the whole code.
        #expect(try membership("circle", "regex") == .notMember)
        #expect(try membership("rectangle", "has-sides") == .member)
        #expect(try membership("circle", "has-sides") == .notMember)
        #expect(try membership("circle", "no-sides") == .member)
        #expect(try membership("square", "no-sides") == .notMember)
    }

    @Test func filtersThatCannotBeEvaluatedAreUnknown() throws {
        #expect(
            try membership("square", "undefined-property")
                == .unknown(.filterNotSupported(system: Self.shapes, property: "weight", op: "=")))
        #expect(try membership("square", "unknown-op").isMember == nil)
        // Still certain: a code the complete code system does not have.
        #expect(try membership("hexagon", "unknown-op") == .notMember)
    }

    @Test func caseInsensitiveSystem() throws {
        #expect(try membership("SQUARE", "is-a") == .member)
        #expect(try membership("Circle", "concept-eq") == .member)
    }

    @Test func includeExcludeAndNesting() throws {
        #expect(try membership("circle", "include-exclude") == .member)
        #expect(try membership("square", "include-exclude") == .notMember)
        #expect(try membership("square", "nested") == .member)
        #expect(try membership("circle", "nested") == .member)
        #expect(try membership("triangle", "nested") == .notMember)
        // system + valueSets: the intersection.
        #expect(try membership("square", "intersection") == .member)
        #expect(try membership("rectangle", "intersection") == .notMember)
        #expect(try membership("triangle", "intersection") == .notMember)
        #expect(try membership("square", "cycle-a").isMember == nil)
        #expect(try membership("square", "empty") == .unknown(.valueSetNotExpandable(Self.vsBase + "empty")))
    }

    @Test func partlyKnownValueSets() throws {
        #expect(try membership("circle", "mixed") == .member)
        #expect(try membership("square", "mixed") == .notMember)
        #expect(try membership("1234", "mixed", system: "http://snomed.info/sct").isMember == nil)
        // Without a system, a code that is not listed could still be a SNOMED code.
        #expect(try membership("square", "mixed", system: nil).isMember == nil)
    }

    @Test func fragmentCodeSystems() throws {
        let partial = "http://example.org/cs/partial"
        #expect(try membership("a", "fragment", system: partial) == .member)
        #expect(try membership("z", "fragment", system: partial) == .unknown(.codeSystemFragment(partial)))
        let terminology = LocalTerminology(store: try #require(Self.store))
        #expect(terminology.codeSystemStatus(partial) == .fragment)
        #expect(terminology.validateCode(system: partial, code: "b") == .member)
    }

    @Test func expansionsAndTheirDisplays() throws {
        let terminology = LocalTerminology(store: try #require(Self.store))
        #expect(try membership("oval", "expanded") == .member)
        #expect(try membership("rectangle", "expanded") == .notMember)
        #expect(
            terminology.valueSetDisplays(system: Self.shapes, code: "square", valueSet: Self.vsBase + "expanded")
                == ["Four equal sides"])
        #expect(
            terminology.valueSetDisplays(system: Self.shapes, code: "circle", valueSet: Self.vsBase + "expanded")
                == ["Round"])
        // An incomplete expansion gives way to the compose.
        #expect(try membership("oval", "partial-expansion") == .member)
        let expansion = try #require(terminology.expansion(of: Self.vsBase + "is-a"))
        #expect(expansion.codes[Self.shapes] == ["quadrilateral", "square", "rectangle", "rhombus", "kite"])
        #expect(terminology.expansion(of: Self.vsBase + "include-exclude")?.codes[Self.shapes] == ["circle", "oval"])
        #expect(terminology.expansion(of: Self.vsBase + "undefined-property") == nil)
    }

    @Test func valueSetGivenAsAResource() throws {
        let terminology = LocalTerminology(store: try #require(Self.store))
        let contained = try JSONValue.parse(
            """
            {"resourceType":"ValueSet","id":"local","status":"draft",
             "expansion":{"contains":[{"system":"\(Self.shapes)","code":"kite","display":"Dragon"}]}}
            """)
        #expect(terminology.membership(system: Self.shapes, code: "kite", valueSetResource: contained) == .member)
        #expect(
            terminology.membership(system: Self.shapes, code: "kite", valueSetResource: contained, cacheKey: "p#local")
                == .member)
        #expect(terminology.membership(system: Self.shapes, code: "oval", valueSetResource: contained) == .notMember)
        #expect(
            terminology.valueSetDisplays(system: Self.shapes, code: "kite", valueSetResource: contained) == ["Dragon"])
    }

    @Test func lookupOfHandMadeConcepts() throws {
        let terminology = LocalTerminology(store: try #require(Self.store))
        let square = try #require(terminology.lookup(system: Self.shapes, code: "Square"))
        #expect(square.code == "square")
        #expect(square.hasDisplay("quadrat"))
        #expect(square.properties.contains(.init(code: "sides", value: "4")))
        #expect(terminology.lookup(system: Self.shapes, code: "hexagon") == nil)
        #expect(terminology.validateCode(system: Self.shapes, code: "hexagon") == .notMember)
    }

    @Test func grammarChecks() {
        typealias S = LocalTerminologySyntax
        #expect(S.kind(ofSystem: "urn:ietf:bcp:13") == .mimeType)
        #expect(S.kind(ofSystem: "http://loinc.org") == nil)
        for good in ["text/plain", "application/fhir+json; fhirVersion=4.0", "image/svg+xml"] {
            #expect(S.isWellFormed(good, .mimeType), "\(good)")
        }
        for bad in ["text", "text/", "/plain", "text/pl ain", "text/plain;", "a/b/c", ""] {
            #expect(!S.isWellFormed(bad, .mimeType), "\(bad)")
        }
        for good in ["en", "en-US", "zh-Hant-TW", "de-CH-1901", "x-private", "sgn-BE-FR"] {
            #expect(S.isWellFormed(good, .language), "\(good)")
        }
        for bad in ["e", "en_US", "en--US", "-en", "toolongsubtag-x", "x"] {
            #expect(!S.isWellFormed(bad, .language), "\(bad)")
        }
        for good in ["mg", "mg/dL", "kg.m-2", "10*3/uL", "{beats}/min", "[in_i]", "%", "mm[Hg]"] {
            #expect(S.isWellFormed(good, .ucum), "\(good)")
        }
        for bad in ["mg/(dL", "mg)", "m g", "[in_i", "{a{b}}", "mg/", "kg."] {
            #expect(!S.isWellFormed(bad, .ucum), "\(bad)")
        }
        #expect(S.isWellFormed("DE", .country) && S.isWellFormed("DEU", .country) && S.isWellFormed("276", .country))
        #expect(!S.isWellFormed("de", .country) && !S.isWellFormed("D", .country) && !S.isWellFormed("27", .country))
        #expect(S.isWellFormed("EUR", .currency) && !S.isWellFormed("EURO", .currency))
        #expect(!S.isWellFormed(String(repeating: "a", count: 300) + "/b", .mimeType))
    }
}
