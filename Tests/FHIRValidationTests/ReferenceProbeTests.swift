import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRXML
import Testing

@testable import FHIRValidation

/// Shared fixtures of the reference, Bundle and narrative tests: one validation context over
/// the core package, tree reading, and a small walker that runs only these rules.
enum ResFixture {
    static let context: ValidationContext? = {
        guard let model = try? TestSupport.coreModel() else { return nil }
        return ValidationContext(model: model, store: TestSupport.coreStore)
    }()

    static var isAvailable: Bool { TestSupport.hasCorePackage }

    /// Parses FHIR JSON with the core model.
    static func json(_ text: String) throws -> ElementNode {
        try FHIRJSONReader(model: TestSupport.coreModel()).read(text).root
    }

    /// Reads a corpus file (JSON or XML).
    static func read(_ path: String) -> ElementNode? {
        guard let model = try? TestSupport.coreModel() else { return nil }
        if path.hasSuffix(".xml") { return try? FHIRXMLReader(model: model).read(FileBytes.read(path)).root }
        return try? FHIRJSONReader(model: model).read(fileAtPath: path).root
    }

    /// A StructureDefinition file (JSON or XML) as the catalog reads it.
    static func structureDefinition(_ path: String) -> StructureDefinitionInfo? {
        guard let model = try? TestSupport.coreModel(), let root = read(path) else { return nil }
        let bytes = FHIRJSONWriter(model: model).write(root)
        guard let json = try? JSONValue.parse(bytes) else { return nil }
        return StructureDefinitionInfo(json: json)
    }
}

/// Walks a resource along the base definitions of its resource and datatypes (and, for the root,
/// an optional profile), and runs the reference checker on every Reference, the narrative rules
/// on every xhtml element and the Bundle rules on every Bundle, with the resource chain, Bundle
/// index and entry fullUrl the walker passes.
struct ResProbe {
    let context: ValidationContext
    var issues: [FHIRModel.Issue] = []

    init(context: ValidationContext) {
        self.context = context
    }

    mutating func run(_ root: ElementNode, profile: ResolvedProfile? = nil) {
        guard let type = root.typeName else { return }
        visitResource(root, profile: profile, path: type, chain: [], bundle: nil, fullUrl: nil, depth: 0)
    }

    private mutating func visitResource(
        _ node: ElementNode, profile: ResolvedProfile?, path: String, chain: [ElementNode], bundle: BundleIndex?,
        fullUrl: String?, depth: Int
    ) {
        guard depth < 32, let type = node.typeName, let definition = profile ?? context.profiles.base(type: type)
        else { return }
        var bundle = bundle
        if type == "Bundle" {
            let index = BundleIndex(bundle: node, model: context.model)
            BundleRules.check(node, index: index, path: path, into: &issues)
            bundle = index
        }
        let scope = Scope(chain: [node] + chain, bundle: bundle, fullUrl: fullUrl)
        visitChildren(of: node, profile: definition, element: 0, path: path, scope: scope, depth: depth + 1)
    }

    private struct Scope {
        var chain: [ElementNode]
        var bundle: BundleIndex?
        var fullUrl: String?
    }

    private mutating func visitChildren(
        of node: ElementNode, profile: ResolvedProfile, element: Int, path: String, scope: Scope, depth: Int
    ) {
        guard depth < 64 else { return }
        let kids = profile.children(of: element)
        var counts: [String: Int] = [:]
        for child in node.children {
            var childPath = path + "." + child.name
            if child.isListItem {
                let i = counts[child.name, default: 0]
                counts[child.name] = i + 1
                childPath += "[\(i)]"
            }
            if child.isResource {
                let entryUrl = node.name == "entry" ? node.childValue("fullUrl") : scope.fullUrl
                visitResource(
                    child, profile: nil, path: childPath, chain: scope.chain, bundle: scope.bundle,
                    fullUrl: entryUrl, depth: depth + 1)
                continue
            }
            guard
                let index = kids.first(where: { i in
                    let e = profile.elements[i]
                    return e.sliceName == nil && (e.name == child.name || e.name == child.name + "[x]")
                })
            else { continue }
            let def = profile.elements[index]
            if child.typeName == "Reference" {
                ReferenceChecker(context: context).check(
                    child, types: def.types.filter { $0.code == "Reference" }, resources: scope.chain,
                    bundle: scope.bundle, fullUrl: scope.fullUrl, path: childPath, into: &issues)
            }
            if child.typeName == "xhtml" { NarrativeRules.check(child, path: childPath, into: &issues) }
            guard !child.isPrimitive else { continue }
            if let reference = def.contentReference, let hash = reference.firstIndex(of: "#"),
                let target = profile.element(path: String(reference[reference.index(after: hash)...]))
            {
                visitChildren(
                    of: child, profile: profile, element: target, path: childPath, scope: scope, depth: depth + 1)
            } else if !profile.children(of: index).isEmpty {
                visitChildren(
                    of: child, profile: profile, element: index, path: childPath, scope: scope, depth: depth + 1)
            } else if let type = child.typeName, let datatype = context.profiles.base(type: type) {
                visitChildren(of: child, profile: datatype, element: 0, path: childPath, scope: scope, depth: depth + 1)
            }
        }
    }
}

@Suite(.enabled(if: ResFixture.isAvailable, "hl7.fhir.r4.core#4.0.1 is not installed"))
struct ReferenceProbeTests {
    /// The probe reaches references inside datatypes, extensions, backbone elements and contained
    /// resources, with the element's own target types (so the corpus tests above mean something).
    @Test func probeReachesNestedReferences() throws {
        let context = try #require(ResFixture.context)
        let root = try ResFixture.json(
            """
            {"resourceType": "Observation", "status": "final", "code": {"text": "x"},
             "contained": [{"resourceType": "Provenance", "target": [{"reference": "#nope"}],
                            "recorded": "2020-01-01T00:00:00Z", "agent": [{"who": {"display": "a"}}]}],
             "extension": [{"url": "http://x.org/e", "valueReference": {"reference": "Unknown/1"}}],
             "identifier": [{"assigner": {"reference": "Patient/1"}}],
             "referenceRange": [{"low": {"value": 1}, "appliesTo": [{"text": "t"}]}],
             "component": [{"code": {"text": "c"}, "valueString": "v"}],
             "performer": [{"reference": "Medication/1"}],
             "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\"><script/>x</div>"}}
            """)
        var probe = ResProbe(context: context)
        probe.run(root)
        let found = Set(probe.issues.map { ($0.path ?? "") + " " + $0.code.rawValue })
        #expect(
            found == [
                "Observation.contained[0].target[0] VAL-REFERENCE-UNRESOLVED",
                "Observation.extension[0].value VAL-REFERENCE-FORMAT",
                "Observation.identifier[0].assigner VAL-REFERENCE-TARGET",
                "Observation.performer[0] VAL-REFERENCE-TARGET",
                "Observation.text.div VAL-NARRATIVE-ELEMENT",
            ], "\(probe.issues)")
    }
}
