extension FHIRPathCompiler {
    func function(target: FHIRPathExpression?, name: String, arguments: [FHIRPathExpression], at: FHIRPathLocation)
        throws(FHIRPathError) -> Evaluation
    {
        let lookup = name == "as" && asFiltersCollections ? "ofType" : name
        guard let definition = FHIRPathFunctionLibrary.all[lookup] else {
            throw FHIRPathError(.semantic, "unknown function '\(name)'", at: at)
        }
        guard definition.arity.contains(arguments.count) else {
            throw FHIRPathError(
                .semantic,
                "\(name)() takes \(Self.describe(definition.arity)) argument(s), got \(arguments.count)", at: at)
        }
        if let target, let fused = try fused(target: target, name: name, arguments: arguments, at: at) {
            return fused
        }
        let t: Evaluation? = try target.map { (e) throws(FHIRPathError) in try compile(e) }
        if arguments.isEmpty, let fast = definition.inputOnly {
            guard let t else { return { focus, _ throws(FHIRPathError) in try fast(focus, at) } }
            return { focus, state throws(FHIRPathError) in try fast(try t(focus, state), at) }
        }
        var type: FHIRPathTypeTest?
        var compiled: [Evaluation] = []
        var descending: [Bool] = []
        if definition.takesSortKeys {
            for a in arguments {
                if case .unary(.minus, let key) = a.kind {
                    compiled.append(try compile(key))
                    descending.append(true)
                } else {
                    compiled.append(try compile(a))
                    descending.append(false)
                }
            }
        } else if definition.takesType, let first = arguments.first {
            guard let spec = Self.typeSpecifier(first) else {
                throw FHIRPathError(.semantic, "\(name)() needs a type name", at: first.range.start)
            }
            type = FHIRPathTypeTest(spec, model: model, r4Primitives: asFiltersCollections)
        } else {
            for a in arguments { compiled.append(try compile(a)) }
        }
        let body = definition.body
        let site = FHIRPathCall.Site(
            name: name, arguments: compiled, location: at, typeArgument: type, descendingArguments: descending)
        guard let t else {
            return { focus, state throws(FHIRPathError) in
                try body(FHIRPathCall(site: site, input: focus, state: state))
            }
        }
        return { focus, state throws(FHIRPathError) in
            try body(FHIRPathCall(site: site, input: try t(focus, state), state: state))
        }
    }

    /// `Patient`, `FHIR.Patient`, `System.String` written as an expression argument.
    static func typeSpecifier(_ e: FHIRPathExpression) -> TypeSpecifier? {
        switch e.kind {
        case .identifier(let name):
            return TypeSpecifier(components: [name], range: e.range)
        case .member(let target, let name):
            guard let base = typeSpecifier(target) else { return nil }
            return TypeSpecifier(components: base.components + [name], range: e.range)
        default:
            return nil
        }
    }

    static func describe(_ arity: ClosedRange<Int>) -> String {
        arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) to \(arity.upperBound)"
    }
}
