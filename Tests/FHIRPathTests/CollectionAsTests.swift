import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

/// `as()` on a collection: an error in FHIRPath (and the official suite), a filter when the engine
/// evaluates R4's published invariants (`asFiltersCollections`).
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1")) struct CollectionAsTests {
    /// dom-3 exactly as R4 publishes it.
    static let dom3 =
        "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()"

    static let referenced = #"""
        {"resourceType":"Observation","id":"o","status":"final","code":{"text":"t"},
         "contained":[{"resourceType":"Patient","id":"p1","active":true}],
         "subject":{"reference":"#p1"}}
        """#

    static let orphan = #"""
        {"resourceType":"Observation","id":"o","status":"final","code":{"text":"t"},
         "contained":[{"resourceType":"Patient","id":"p1","active":true}],
         "subject":{"reference":"Patient/x"}}
        """#

    func evaluate(_ text: String, _ json: String, lenient: Bool) throws -> [FHIRPathValue] {
        let model = try TestSupport.coreModel()
        let root = try FHIRJSONReader(model: model).read(json).root
        return try FHIRPathEngine(model: model, asFiltersCollections: lenient)
            .compile(text, contextType: "Observation").evaluate(root)
    }

    @Test func strictAsRejectsCollections() throws {
        #expect(throws: FHIRPathError.self) { try evaluate(Self.dom3, Self.referenced, lenient: false) }
        #expect(throws: FHIRPathError.self) {
            try evaluate("(status | code.text) as string", Self.referenced, lenient: false)
        }
        // The operator filters too when lenient: `status` is a code, not a string.
        #expect(try evaluate("(status | code.text) as string", Self.referenced, lenient: true).count == 1)
    }

    @Test func lenientAsRunsDom3() throws {
        // A contained resource that is referenced passes; one that nothing references fails.
        guard case .boolean(true)? = try evaluate(Self.dom3, Self.referenced, lenient: true).first else {
            Issue.record("dom-3 should hold when the contained resource is referenced")
            return
        }
        guard case .boolean(false)? = try evaluate(Self.dom3, Self.orphan, lenient: true).first else {
            Issue.record("dom-3 should fail for an unreferenced contained resource")
            return
        }
    }

    @Test func lenientAsFiltersLikeOfType() throws {
        let text = "descendants().as(string).count() = descendants().ofType(string).count()"
        guard case .boolean(true)? = try evaluate(text, Self.referenced, lenient: true).first else {
            Issue.record("as() should filter like ofType()")
            return
        }
        let strictSingle = try evaluate("status.as(code)", Self.referenced, lenient: false)
        #expect(strictSingle.count == 1)
    }
}
