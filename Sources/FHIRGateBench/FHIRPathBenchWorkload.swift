import FHIRGate

/// One benchmarked expression and the nodes it is evaluated on.
struct FHIRPathBenchCase {
    /// Which nodes of the documents an expression runs on. `scripts/bench_fhirpath.py` picks
    /// the same ones from the JSON (it reads the scope from the `--format json` output).
    enum Scope: CustomStringConvertible {
        /// Every complex element (not a resource, not a primitive) of every resource, contained
        /// and entry resources included: where a validator checks `ele-1`.
        case elements
        /// Every document root whose type is a DomainResource (not Bundle, Binary, Parameters).
        case domainResources
        /// Every document root.
        case resources
        /// Every document root of one type.
        case resourceType(String)

        var description: String {
            switch self {
            case .elements: "elements"
            case .domainResources: "domain-resources"
            case .resources: "resources"
            case .resourceType(let t): "type:" + t
            }
        }
    }

    var name: String
    var expression: String
    /// The compile-time context type (semantic checks against it).
    var contextType: String?
    var scope: Scope

    /// The invariants are the exact expressions of the R4 core StructureDefinitions (Element and
    /// DomainResource).
    static let all: [FHIRPathBenchCase] = [
        .init(
            name: "ele-1", expression: "hasValue() or (children().count() > id.count())", contextType: "Element",
            scope: .elements),
        .init(
            name: "dom-2", expression: "contained.contained.empty()", contextType: "DomainResource",
            scope: .domainResources),
        .init(
            name: "dom-3",
            expression:
                "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()",
            contextType: "DomainResource", scope: .domainResources),
        .init(
            name: "dom-4", expression: "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()",
            contextType: "DomainResource", scope: .domainResources),
        .init(
            name: "dom-5", expression: "contained.meta.security.empty()", contextType: "DomainResource",
            scope: .domainResources),
        .init(
            name: "dom-6", expression: "text.`div`.exists()", contextType: "DomainResource", scope: .domainResources),
        .init(
            name: "patient-official-name",
            expression: "Patient.name.where(use = 'official').select(given.first() + ' ' + family)",
            contextType: "Patient", scope: .resourceType("Patient")),
        .init(
            name: "patient-adult", expression: "Patient.birthDate <= today() - 18 years", contextType: "Patient",
            scope: .resourceType("Patient")),
        .init(
            name: "observation-high-ucum",
            expression: "Observation.value.ofType(Quantity).where(system = 'http://unitsofmeasure.org').value > 100",
            contextType: "Observation", scope: .resourceType("Observation")),
        .init(
            name: "observation-loinc",
            expression: "Observation.code.coding.where(system = 'http://loinc.org').code",
            contextType: "Observation", scope: .resourceType("Observation")),
        .init(
            name: "loinc-codes-anywhere",
            expression: "descendants().ofType(Coding).where(system = 'http://loinc.org').code.distinct()",
            contextType: "Resource", scope: .resources),
        .init(
            name: "external-references",
            expression: "descendants().ofType(Reference).reference.where(startsWith('#').not()).count()",
            contextType: "Resource", scope: .resources),
    ]
}

/// The evaluation targets of every scope, built once before timing.
struct FHIRPathBenchTargets {
    let roots: [FHIRPathNode]
    let domainRoots: [FHIRPathNode]
    let elements: [FHIRPathNode]

    init(roots elements: [ElementNode], model: ModelInfo) {
        roots = elements.map { FHIRPathNode(root: $0) }
        domainRoots = roots.filter { model.isType($0.typeName ?? "", a: "DomainResource") }
        var found: [FHIRPathNode] = []
        for root in elements { Self.collectElements(root, scope: nil, into: &found) }
        self.elements = found
    }

    func nodes(for scope: FHIRPathBenchCase.Scope) -> [FHIRPathNode] {
        switch scope {
        case .elements: elements
        case .domainResources: domainRoots
        case .resources: roots
        case .resourceType(let type): roots.filter { $0.typeName == type }
        }
    }

    /// Complex, non-resource elements; resources open a scope; primitives (and their
    /// extensions) are left out.
    private static func collectElements(_ node: ElementNode, scope: FHIRPathScope?, into found: inout [FHIRPathNode]) {
        var stack: [(ElementNode, FHIRPathScope?)] = [(node, scope)]
        while let (element, scope) = stack.popLast() {
            var current = scope
            if element.isResource {
                current = FHIRPathScope(resource: element, parent: scope)
            } else if element.isPrimitive {
                continue
            } else {
                found.append(FHIRPathNode(element: element, scope: current))
            }
            for child in element.children.reversed() { stack.append((child, current)) }
        }
    }
}

/// One measured expression.
struct FHIRPathBenchResult {
    var dataset: String
    var benchCase: FHIRPathBenchCase
    var targets: Int
    var evaluations: Int
    var seconds: Double
    var trueResults: Int
    var nonEmptyResults: Int
    var errors: Int

    var evaluationsPerSecond: Double { seconds > 0 ? Double(evaluations) / seconds : 0 }

    var jsonLine: String {
        let object = JSONValue.object([
            ("tool", .string("fhirgate")), ("dataset", .string(dataset)), ("op", .string("fhirpath")),
            ("name", .string(benchCase.name)), ("expression", .string(benchCase.expression)),
            ("scope", .string(benchCase.scope.description)), ("targets", .number(targets)),
            ("evaluations", .number(evaluations)), ("seconds", .number(String(seconds))),
            ("evals_per_s", .number(String(evaluationsPerSecond))), ("true_results", .number(trueResults)),
            ("nonempty_results", .number(nonEmptyResults)), ("errors", .number(errors)),
        ])
        return object.text()
    }

    static func table(_ results: [FHIRPathBenchResult]) -> String {
        var rows = [["expression", "scope", "targets", "evals", "s", "evals/s", "true", "non-empty", "errors"]]
        for r in results {
            rows.append([
                r.benchCase.name, r.benchCase.scope.description, String(r.targets), String(r.evaluations),
                BenchTable.fixed(r.seconds, 3), BenchTable.fixed(r.evaluationsPerSecond, 0), String(r.trueResults),
                String(r.nonEmptyResults), String(r.errors),
            ])
        }
        return BenchTable.aligned(rows, leftColumns: 2)
    }
}
