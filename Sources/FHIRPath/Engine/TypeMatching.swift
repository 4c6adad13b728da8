import FHIRModel

/// `is`, `as`, `ofType`: whether an item is of a named type.
///
/// A ``FHIRPathTypeTest`` is built once per type name at compile time (which types count, by
/// namespace and inheritance), so the per-item test is a string comparison or a set lookup.
struct FHIRPathTypeTest: Sendable {
    let spec: TypeSpecifier
    /// The name is unknown in both namespaces (or the namespace is unknown): testing is an error.
    let isUnknown: Bool
    /// FHIR nodes can match (not `System.X`).
    let matchesNodes: Bool
    /// System values can match (not `FHIR.X`).
    let matchesSystemValues: Bool
    /// The FHIR type codes that match: the name and every type derived from it.
    let fhirTypes: Set<String>

    /// The FHIR primitive types whose nodes an unqualified System type name also matches in R4
    /// invariants (`answer is Boolean` for a FHIR `boolean`, as R4's own `que-7` is written).
    static let primitivesBySystemType: [String: Set<String>] = [
        "Boolean": ["boolean"],
        "String": [
            "string", "code", "id", "uri", "url", "canonical", "markdown", "oid", "uuid", "base64Binary", "xhtml",
        ],
        "Integer": ["integer", "positiveInt", "unsignedInt"],
        "Decimal": ["decimal"],
        "Date": ["date"],
        "DateTime": ["dateTime", "instant"],
        "Time": ["time"],
    ]

    /// `r4Primitives`: an unqualified System type name (`Boolean`) also matches FHIR primitive
    /// nodes of the corresponding types (see ``primitivesBySystemType``).
    init(_ spec: TypeSpecifier, model: ModelInfo?, r4Primitives: Bool = false) {
        self.spec = spec
        let name = spec.name
        let namespace = spec.namespace
        let isSystemName = FHIRPathTypeName.systemTypes.contains(name)
        let isFHIRName = model?.type(named: name) != nil || (model == nil && !isSystemName)
        switch namespace {
        case "System", "FHIR", nil:
            // A name known only in the other namespace (`System.Patient`) matches nothing; a
            // name known in neither is an error.
            isUnknown = !(isSystemName || isFHIRName)
        default:
            isUnknown = true
        }
        var matchesNodes = namespace != "System" && isFHIRName
        matchesSystemValues = namespace != "FHIR" && isSystemName
        var types: Set<String> = [name]
        if matchesNodes, let model {
            for t in model.types where t.kind != .backbone && t.name != name && model.isType(t.name, a: name) {
                types.insert(t.name)
            }
        }
        if r4Primitives, namespace == nil, let primitives = Self.primitivesBySystemType[name] {
            matchesNodes = true
            types.formUnion(primitives)
        }
        fhirTypes = types
        self.matchesNodes = matchesNodes
    }

    /// Whether `value` is of the type (or a type derived from it).
    func matches(_ value: FHIRPathValue, at location: FHIRPathLocation) throws(FHIRPathError) -> Bool {
        guard !isUnknown else { throw unknownError(at: location) }
        switch value {
        case .node(let n):
            guard matchesNodes, let type = n.typeName else { return false }
            return fhirTypes.contains(type)
        default:
            guard matchesSystemValues else { return false }
            let name = spec.name
            return name == "Any" || value.type(in: nil).name == name
        }
    }

    /// The test of `as()` and `ofType()`: like `is`, except that a FHIR primitive matches only its
    /// own type (`Patient.gender.as(string)` is empty for a `code`, as the official suite
    /// expects), while complex types still match their base types (an `Age` is a `Quantity`).
    func castMatches(_ value: FHIRPathValue, at location: FHIRPathLocation) throws(FHIRPathError) -> Bool {
        let matches = try matches(value, at: location)
        guard matches, case .node(let n) = value, n.element.isPrimitive else { return matches }
        return n.typeName == spec.name
    }

    /// Reports an unknown type name even when there is nothing to test.
    func validate(at location: FHIRPathLocation) throws(FHIRPathError) {
        if isUnknown { throw unknownError(at: location) }
    }

    private func unknownError(at location: FHIRPathLocation) -> FHIRPathError {
        FHIRPathError(.execution, "unknown type '\(spec.components.joined(separator: "."))'", at: location)
    }
}
