import FHIRModel

/// `is`, `as`, `ofType`: whether an item is of a named type.
enum FHIRPathTypes {
    /// Whether `value` is of the type `spec` (or a type derived from it). A type name unknown in
    /// both namespaces is an execution error.
    static func matches(_ value: FHIRPathValue, _ spec: TypeSpecifier, model: ModelInfo?, at: FHIRPathLocation)
        throws(FHIRPathError) -> Bool
    {
        let name = spec.name
        let namespace = spec.namespace
        let isSystemName = FHIRPathTypeName.systemTypes.contains(name)
        let isFHIRName = model?.type(named: name) != nil || (model == nil && !isSystemName)
        // A name known only in the other namespace (`System.Patient`) matches nothing; a name
        // known in neither is an error.
        switch namespace {
        case "System", "FHIR", nil:
            guard isSystemName || isFHIRName else { throw unknown(spec, at) }
        default:
            throw unknown(spec, at)
        }
        switch value {
        case .node(let n):
            guard namespace != "System", let type = n.typeName else { return false }
            if type == name { return true }
            return model?.isType(type, a: name) ?? false
        default:
            guard namespace != "FHIR" else { return false }
            let actual = value.type(in: model).name
            return actual == name || name == "Any"
        }
    }

    private static func unknown(_ spec: TypeSpecifier, _ at: FHIRPathLocation) -> FHIRPathError {
        FHIRPathError(.execution, "unknown type '\(spec.components.joined(separator: "."))'", at: at)
    }
}
