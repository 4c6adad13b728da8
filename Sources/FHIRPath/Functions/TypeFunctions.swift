import FHIRModel

extension FHIRPathFunctionLibrary {
    static let typeFunctions: [FHIRPathFunction] = [
        // is(type): whether the single input item is of the type or a type derived from it.
        FHIRPathFunction("is", arity: 1...1, takesType: true) { call throws(FHIRPathError) in
            let spec = try typeArgument(call)
            guard let item = try call.singleInput() else { return [] }
            return FHIRPathLogic.just(try spec.matches(item, at: spec.spec.range.start))
        },
        // as(type): the single input item when it is of the type, else empty.
        FHIRPathFunction("as", arity: 1...1, takesType: true) { call throws(FHIRPathError) in
            let spec = try typeArgument(call)
            guard let item = try call.singleInput() else { return [] }
            return try spec.castMatches(item, at: spec.spec.range.start) ? [item] : []
        },
        // ofType(type): the input items that are of the type.
        FHIRPathFunction("ofType", arity: 1...1, takesType: true) { call throws(FHIRPathError) in
            let spec = try typeArgument(call)
            guard !call.input.isEmpty else {
                // Still report an unknown type name.
                try spec.validate(at: spec.spec.range.start)
                return []
            }
            let at = spec.spec.range.start
            var out: [FHIRPathValue] = []
            for item in call.input where try spec.castMatches(item, at: at) { out.append(item) }
            return out
        },
        // type(): reflection, one type description per input item (namespace, name, baseType).
        FHIRPathFunction("type") { call in
            call.input.map { typeInfo(of: $0, model: call.model) }
        },
    ]

    private static func typeArgument(_ call: FHIRPathCall) throws(FHIRPathError) -> FHIRPathTypeTest {
        guard let spec = call.typeArgument else { throw call.failure("needs a type name") }
        return spec
    }

    /// A type description as a small element tree: `namespace`, `name` and, when known,
    /// `baseType` (`System.Any` for System types).
    static func typeInfo(of item: FHIRPathValue, model: ModelInfo?) -> FHIRPathValue {
        let type = item.type(in: model)
        var children = [
            ElementNode.primitive("namespace", type: "string", value: type.namespace.rawValue),
            ElementNode.primitive("name", type: "string", value: type.name),
        ]
        switch type.namespace {
        case .system:
            children.append(.primitive("baseType", type: "string", value: "System.Any"))
        case .fhir:
            if let base = model?.type(named: type.name)?.baseType {
                children.append(.primitive("baseType", type: "string", value: "FHIR." + base))
            }
        }
        let isClass = type.namespace == .fhir && item.node?.element.isPrimitive == false
        let info = ElementNode(name: "type", typeName: isClass ? "ClassInfo" : "SimpleTypeInfo", children: children)
        return .node(FHIRPathNode(element: info, scope: nil))
    }
}
