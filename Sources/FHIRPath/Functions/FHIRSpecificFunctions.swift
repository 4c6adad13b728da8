import FHIRModel

/// The functions FHIR adds to FHIRPath: extension(), hasValue(), getValue(), resolve(),
/// memberOf(), conformsTo(), htmlChecks(), elementDefinition(), slice(), comparable().
extension FHIRPathFunctionLibrary {
    static let fhirFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("extension", arity: 1...1) { call throws(FHIRPathError) in
            guard let url = try call.stringArgument(0) else { return [] }
            var out: [FHIRPathValue] = []
            for item in call.input {
                guard case .node(let n) = item else { continue }
                for c in n.element.children where c.name == "extension" && c.childValue("url") == url {
                    out.append(.node(n.child(c)))
                }
            }
            return out
        },
        FHIRPathFunction("hasValue") { input, _ in
            guard input.count == 1, case .node(let n) = input[0] else { return FHIRPathLogic.just(false) }
            return FHIRPathLogic.just(n.element.isPrimitive && n.element.value != nil)
        },
        FHIRPathFunction("getValue") { call throws(FHIRPathError) in
            guard call.input.count == 1, case .node(let n) = call.input[0], n.element.isPrimitive,
                let value = n.systemValue
            else { return [] }
            return [value]
        },
        FHIRPathFunction("resolve") { call throws(FHIRPathError) in
            var out: [FHIRPathValue] = []
            for item in call.input {
                if let resolved = FHIRPathReferences.resolve(item, environment: call.environment) {
                    out.append(.node(resolved))
                }
            }
            return out
        },
        FHIRPathFunction("memberOf", arity: 1...1) { call throws(FHIRPathError) in
            guard let item = try call.singleInput(), let valueSet = try call.stringArgument(0) else { return [] }
            guard let terminology = call.environment.terminology else {
                throw call.failure("no terminology is available to check value set membership")
            }
            let codings = FHIRPathCodings.codings(in: item)
            guard !codings.isEmpty else { return [] }
            var unknown = false
            for coding in codings {
                switch terminology.isMember(system: coding.system, code: coding.code, of: valueSet) {
                case .some(true): return FHIRPathLogic.just(true)
                case .none: unknown = true
                case .some(false): break
                }
            }
            if unknown { throw call.failure("the value set is not available locally or cannot be expanded") }
            return FHIRPathLogic.just(false)
        },
        FHIRPathFunction("conformsTo", arity: 1...1) { call throws(FHIRPathError) in
            guard let item = try call.singleInput(), let profile = try call.stringArgument(0) else { return [] }
            guard case .node(let n) = item else { return FHIRPathLogic.just(false) }
            if let checker = call.environment.profiles, let answer = checker.conforms(n, to: profile) {
                return FHIRPathLogic.just(answer)
            }
            guard let model = call.model, let type = model.types.first(where: { $0.url == profile }) else {
                throw call.failure("unknown profile")
            }
            guard let actual = n.typeName else { return FHIRPathLogic.just(false) }
            return FHIRPathLogic.just(model.isType(actual, a: type.name))
        },
        FHIRPathFunction("htmlChecks") { call throws(FHIRPathError) in
            guard let item = try call.singleInput() else { return [] }
            guard case .node(let n) = item, let text = n.element.value else { return FHIRPathLogic.just(false) }
            return FHIRPathLogic.just(NarrativeChecks.problems(in: text).isEmpty)
        },
        FHIRPathFunction("elementDefinition") { call throws(FHIRPathError) in
            guard let item = try call.singleInput() else { return [] }
            guard case .node(let n) = item, let checker = call.environment.profiles,
                let definition = checker.elementDefinition(of: n)
            else { throw call.failure("element definitions are only available during validation") }
            return [.node(FHIRPathNode(element: definition, scope: nil))]
        },
        FHIRPathFunction("slice", arity: 2...2) { call throws(FHIRPathError) in
            guard let structure = try call.stringArgument(0), let name = try call.stringArgument(1) else { return [] }
            guard let checker = call.environment.profiles else {
                throw call.failure("slices are only available during validation")
            }
            var out: [FHIRPathValue] = []
            for item in call.input {
                guard case .node(let n) = item else { continue }
                guard let matches = checker.matches(n, slice: name, of: structure) else {
                    throw call.failure("unknown slice")
                }
                if matches { out.append(item) }
            }
            return out
        },
        FHIRPathFunction("comparable", arity: 1...1) { call throws(FHIRPathError) in
            guard case .quantity(let q)? = try call.singleInputValue() else { return [] }
            guard let other = try call.singleArgument(0) else { return [] }
            guard case .quantity(let r) = other else { throw call.failure("the argument must be a quantity") }
            return FHIRPathLogic.just(q.compare(r) != nil)
        },
    ]
}

/// The (system, code) pairs of a code, Coding or CodeableConcept item.
enum FHIRPathCodings {
    static func codings(in item: FHIRPathValue) -> [(system: String?, code: String)] {
        switch item {
        case .string(let code): return [(nil, code)]
        case .node(let n):
            let e = n.element
            if e.isPrimitive { return e.value.map { [(nil, $0)] } ?? [] }
            switch e.typeName {
            case "Coding":
                guard let code = e.childValue("code") else { return [] }
                return [(e.childValue("system"), code)]
            case "CodeableConcept":
                return e.children(named: "coding").compactMap { c in
                    c.childValue("code").map { (c.childValue("system"), $0) }
                }
            default:
                return []
            }
        default:
            return []
        }
    }
}
