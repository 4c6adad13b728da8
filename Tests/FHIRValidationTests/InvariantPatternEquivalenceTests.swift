import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

@testable import FHIRValidation

/// Invariants of a simple shape (``InvariantPattern``) must answer as FHIRPath does.
struct InvariantPatternTests {
    @Test func recognisesTheSimpleShapes() {
        #expect(
            InvariantPattern.forExpression("value.empty() or system.exists()")
                == .anyOf([.init(name: "value", exists: false), .init(name: "system", exists: true)]))
        #expect(
            InvariantPattern.forExpression("resource.exists() or request.exists() or response.exists()")
                == .anyOf([
                    .init(name: "resource", exists: true), .init(name: "request", exists: true),
                    .init(name: "response", exists: true),
                ]))
        #expect(
            InvariantPattern.forExpression("comparator.empty()") == .anyOf([.init(name: "comparator", exists: false)]))
        #expect(
            InvariantPattern.forExpression("fullUrl.contains('/_history/').not()")
                == .lacksText(name: "fullUrl", needle: "/_history/"))
    }

    @Test func leavesEverythingElseToFHIRPath() {
        for expression in [
            "Patient.exists()", "text.`div`.exists()", "as.empty()", "value.empty() or", " or value.empty()", "",
            "value.exists() != extension.exists()", "fullUrl.contains('it''s').not()",
            "fullUrl.contains('').not()", "fullUrl.contains('x').not() or a.exists()",
        ] {
            #expect(InvariantPattern.forExpression(expression) == nil, "\(expression)")
        }
    }

    @Test func widerShapesAreBooleanLogic() {
        #expect(
            InvariantPattern.forExpression("value.empty() or system.exists() and code.exists()")
                == .logic(.or(.empty(["value"]), .and(.exists(["system"]), .exists(["code"])))))
        #expect(
            InvariantPattern.forExpression("a.exists() or (b.exists())") == .logic(.or(.exists(["a"]), .exists(["b"]))))
        #expect(InvariantPattern.forExpression("a.b.exists()") == .logic(.exists(["a", "b"])))
    }

    @Test func byteContains() {
        #expect(InvariantPattern.asciiContains("http://x/Patient/1/_history/2", "/_history/") == true)
        #expect(InvariantPattern.asciiContains("http://x/Patient/1", "/_history/") == false)
        #expect(InvariantPattern.asciiContains("/_hist", "/_history/") == false)
        #expect(InvariantPattern.asciiContains("/_history/", "/_history/") == true)
        #expect(InvariantPattern.asciiContains("a/_history/", "/_history/") == true)
        #expect(InvariantPattern.asciiContains("//_history", "/_history/") == false)
        #expect(InvariantPattern.asciiContains("http://x/é/_history/1", "/_history/") == nil)
    }
}

@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct InvariantPatternEquivalenceTests {
    /// The invariants of the core definitions that have a simple shape, with the element each is
    /// declared on (`ContactPoint`, `Bundle.entry`).
    static func corePatterns(_ context: ValidationContext) throws -> [(
        element: String, pattern: InvariantPattern, compiled: CompiledFHIRPath
    )] {
        var seen: Set<String> = []
        var out: [(String, InvariantPattern, CompiledFHIRPath)] = []
        for definition in context.store.resources(ofType: "StructureDefinition") {
            for element in definition["snapshot"]?["element"]?.arrayValue ?? [] {
                guard let path = element["path"]?.stringValue else { continue }
                for constraint in element["constraint"]?.arrayValue ?? [] {
                    guard let expression = constraint["expression"]?.stringValue,
                        let pattern = InvariantPattern.forExpression(expression),
                        seen.insert(path + " " + expression).inserted
                    else { continue }
                    out.append((path, pattern, try context.fhirpath.compile(expression)))
                }
            }
        }
        return out
    }

    /// Whether a node is one the definition element at `path` describes.
    static func describes(_ path: String, _ node: ElementNode) -> Bool {
        guard let dot = path.lastIndex(of: ".") else { return node.typeName == path }
        var last = String(path[path.index(after: dot)...])
        if last.hasSuffix("[x]") { last.removeLast(3) }
        return node.name == last
    }

    @Test(.enabled(if: TestSupport.sharedPath("corpora/examples-r4-json") != nil))
    func patternsMatchFHIRPathOnTheExamples() throws {
        let context = try #require(WalkerTests.context)
        let patterns = try Self.corePatterns(context)
        #expect(patterns.count > 20)
        let reader = FHIRJSONReader(model: context.model)
        guard let folder = TestSupport.sharedPath("corpora/examples-r4-json") else { return }
        let crafted = [
            #"{"resourceType":"Patient","telecom":[{"value":"x"},{"system":"phone"},{"system":"phone","value":"y"}]}"#,
            #"{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"http://x/Patient/1/_history/2"},{"fullUrl":"http://x/Patient/1"},{"_fullUrl":{"id":"a"}},{"fullUrl":"urn:\u00e9/_history/"}]}"#,
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"code":"mg"},"referenceRange":[{"text":"t"},{"appliesTo":[{"text":"a"}]}]}"#,
        ]
        var roots = try crafted.map { try reader.read($0).root }
        for file in TestSupport.files(in: folder, suffix: ".json") {
            roots.append(try reader.read(fileAtPath: folder + "/" + file).root)
        }
        var decided = 0
        var failing = 0
        func visit(_ node: ElementNode, _ enclosing: FHIRPathScope?) {
            let scope = node.isResource ? FHIRPathScope(resource: node, parent: enclosing) : enclosing
            for (element, pattern, compiled) in patterns where Self.describes(element, node) {
                let fast = pattern.evaluate(node)
                guard fast != .undecided else { continue }
                let reference = NativeInvariantEquivalenceTests.fhirPathOutcome(compiled, node, scope)
                #expect(fast == reference, "\(element) \(pattern) at \(node.name) \(node.position)")
                decided += 1
                if fast == .fail { failing += 1 }
            }
            for child in node.children { visit(child, scope) }
        }
        for root in roots { visit(root, nil) }
        #expect(decided > 10_000)
        #expect(failing > 3)
    }
}
