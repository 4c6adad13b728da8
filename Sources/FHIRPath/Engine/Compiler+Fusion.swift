import FHIRModel

/// Compiled forms of common call chains that give the same result as the general path without
/// building the intermediate collections:
///
/// - `path.name.count()`, `.exists()`, `.empty()` and `children().count()` etc. count matching
///   children instead of collecting them (the shape of most invariants: `ele-1`, `dom-2`...);
/// - `descendants().name` and `descendants().ofType(T)` walk the tree and build nodes only for
///   the elements they return (`%resource.descendants().reference` in `dom-3`).
extension FHIRPathCompiler {
    /// The fused evaluation of `target.name(arguments)`, or `nil` when the chain has no fused form.
    func fused(target: FHIRPathExpression, name: String, arguments: [FHIRPathExpression], at: FHIRPathLocation)
        throws(FHIRPathError) -> Evaluation?
    {
        if name == "where", let fused = try fusedWhereEquals(target: target, arguments: arguments) { return fused }
        guard arguments.isEmpty, name == "count" || name == "exists" || name == "empty" else {
            return try fusedDescendants(target: target, name: name, arguments: arguments, at: at)
        }
        let counter: @Sendable ([FHIRPathValue]) -> Int
        // The expression whose result is counted over; `nil` is the focus itself.
        let source: FHIRPathExpression?
        switch target.kind {
        case .member(let inner, let member):
            source = inner
            counter = { focus in FHIRPathNavigation.countChildren(of: focus, named: member) }
        case .identifier(let member) where member.first?.isLowercase == true:
            // A lower-case first step is always an element name (type names start upper-case).
            source = nil
            counter = { focus in FHIRPathNavigation.countChildren(of: focus, named: member) }
        case .function(let inner, "children", let args) where args.isEmpty:
            source = inner
            counter = { focus in FHIRPathNavigation.countChildren(of: focus, named: nil) }
        default:
            return nil
        }
        let s = try compileSource(source)
        switch name {
        case "count":
            return { focus, state throws(FHIRPathError) in FHIRPathNumbers.collection(counter(try s(focus, state))) }
        case "exists":
            return { focus, state throws(FHIRPathError) in FHIRPathLogic.just(counter(try s(focus, state)) > 0) }
        default:
            return { focus, state throws(FHIRPathError) in FHIRPathLogic.just(counter(try s(focus, state)) == 0) }
        }
    }

    /// `X.descendants().ofType(T)`, `.as(T)` and `.where(criteria)`: the descendants are walked,
    /// and only those the call keeps (or tests) become nodes.
    private func fusedDescendants(
        target: FHIRPathExpression, name: String, arguments: [FHIRPathExpression], at: FHIRPathLocation
    ) throws(FHIRPathError) -> Evaluation? {
        guard arguments.count == 1, case .function(let inner, "descendants", let args) = target.kind, args.isEmpty
        else { return nil }
        switch name {
        case "ofType", "as":
            guard let spec = Self.typeSpecifier(arguments[0]) else { return nil }
            let test = FHIRPathTypeTest(spec, model: model, r4Primitives: asFiltersCollections)
            let s = try compileSource(inner)
            return name == "as" && !asFiltersCollections ? descendantsAs(s, test, at: at) : descendantsOfType(s, test)
        case "where":
            let s = try compileSource(inner)
            let test = try itemTest(arguments[0], at: at)
            return { focus, state throws(FHIRPathError) in
                var out: [FHIRPathValue] = []
                var failure: FHIRPathError?
                var index = 0
                FHIRPathNavigation.forEachDescendant(of: try s(focus, state)) { element, scope in
                    let item = FHIRPathValue.node(FHIRPathNode.make(element.pointee, in: scope))
                    do throws(FHIRPathError) {
                        if try test(item, index, state) { out.append(item) }
                    } catch {
                        failure = error
                        return false
                    }
                    index += 1
                    return true
                }
                if let failure { throw failure }
                return out
            }
        default:
            return nil
        }
    }

    private func descendantsOfType(_ s: @escaping Evaluation, _ test: FHIRPathTypeTest) -> Evaluation {
        let typeAt = test.spec.range.start
        return { focus, state throws(FHIRPathError) in
            try test.validate(at: typeAt)
            var out: [FHIRPathValue] = []
            var failure: FHIRPathError?
            FHIRPathNavigation.forEachDescendant(of: try s(focus, state)) { element, scope in
                guard let type = element.pointee.typeName, test.fhirTypes.contains(type) else { return true }
                let value = FHIRPathValue.node(FHIRPathNode.make(element.pointee, in: scope))
                do throws(FHIRPathError) {
                    if try test.castMatches(value, at: typeAt) { out.append(value) }
                } catch {
                    failure = error
                    return false
                }
                return true
            }
            if let failure { throw failure }
            return out
        }
    }

    /// `as()` needs a single input item: count the descendants, build at most one.
    private func descendantsAs(_ s: @escaping Evaluation, _ test: FHIRPathTypeTest, at: FHIRPathLocation) -> Evaluation
    {
        let typeAt = test.spec.range.start
        return { focus, state throws(FHIRPathError) in
            var count = 0
            var first: FHIRPathValue?
            // Two descendants are already too many: stop there.
            FHIRPathNavigation.forEachDescendant(of: try s(focus, state)) { element, scope in
                count += 1
                if count == 1 { first = .node(FHIRPathNode.make(element.pointee, in: scope)) }
                return count < 2
            }
            guard count <= 1 else {
                throw FHIRPathError(.execution, "as(): expects at most one input item, got more", at: at)
            }
            guard let first else { return [] }
            return try test.castMatches(first, at: typeAt) ? [first] : []
        }
    }

    /// `X.descendants().name`: the elements named `name` below the descendants of `X`.
    func fusedDescendantMember(_ target: FHIRPathExpression, _ member: String) throws(FHIRPathError) -> Evaluation? {
        guard case .function(let inner, "descendants", let args) = target.kind, args.isEmpty else { return nil }
        let s = try compileSource(inner)
        return { focus, state throws(FHIRPathError) in
            // Each descendant's matching children, listed when the descendant is reached (the
            // order of `descendants()` followed by `.name`).
            var out: [FHIRPathValue] = []
            FHIRPathNavigation.forEachDescendant(of: try s(focus, state)) { element, scope in
                let kids = element.pointee.children
                guard kids.contains(where: { FHIRPathNavigation.sameName($0.name, member) }) else { return true }
                let inner = element.pointee.isResource ? FHIRPathScope(resource: element.pointee, parent: scope) : scope
                for i in kids.indices where FHIRPathNavigation.sameName(kids[i].name, member) {
                    out.append(.node(FHIRPathNode.make(kids[i], in: inner)))
                }
                return true
            }
            return out
        }
    }

    /// The compiled target of a fused chain; `nil` (no target) is the focus itself.
    private func compileSource(_ source: FHIRPathExpression?) throws(FHIRPathError) -> Evaluation {
        guard let source else { return { focus, _ in focus } }
        return try compile(source)
    }

    /// A `where()` criterion as a test of one item.
    typealias ItemTest =
        @Sendable (_ item: FHIRPathValue, _ index: Int, _ state: EvaluationState) throws(FHIRPathError)
        -> Bool

    /// `name = 'text'` (the commonest filter: `use = 'official'`, `system = 'http://loinc.org'`)
    /// as a direct test of the item's `name` child with FHIRPath `=`, without running a lambda;
    /// `nil` for other criteria.
    func equalsTest(_ criteria: FHIRPathExpression) -> ItemTest? {
        guard case .binary(.equal, let left, let right) = criteria.kind, case .identifier(let member) = left.kind,
            member.first?.isLowercase == true, case .string(let text) = right.kind
        else { return nil }
        let literal = FHIRPathValue.string(text)
        return { item, _, state in
            guard case .node(let n) = item else { return false }
            let kids = n.element.children
            var found = -1
            var count = 0
            for i in kids.indices where FHIRPathNavigation.sameName(kids[i].name, member) {
                found = i
                count += 1
            }
            // No child: `=` is empty; several: a collection is never equal to one string.
            guard count == 1 else { return false }
            let child = FHIRPathValue.node(n.child(kids[found]))
            return FHIRPathEquality.itemEquals(child, literal, context: state.context) == true
        }
    }

    /// Any `where()` criterion as an item test: the direct form when there is one, else the
    /// compiled criterion run as a lambda.
    func itemTest(_ criteria: FHIRPathExpression, at: FHIRPathLocation) throws(FHIRPathError) -> ItemTest {
        if let direct = equalsTest(criteria) { return direct }
        let compiled = try compile(criteria)
        return { item, index, state throws(FHIRPathError) in
            let result = try compiled([item], state.scoped(item: item, index: index))
            return try FHIRPathLogic.singletonBoolean(result, at: at) == true
        }
    }

    /// `X.where(name = 'text')` on any collection.
    func fusedWhereEquals(target: FHIRPathExpression?, arguments: [FHIRPathExpression]) throws(FHIRPathError)
        -> Evaluation?
    {
        guard arguments.count == 1, let test = equalsTest(arguments[0]) else { return nil }
        if let target, case .function(_, "descendants", let args) = target.kind, args.isEmpty { return nil }
        let s = try compileSource(target)
        return { focus, state throws(FHIRPathError) in
            var out: [FHIRPathValue] = []
            for (index, item) in try s(focus, state).enumerated() where try test(item, index, state) {
                out.append(item)
            }
            return out
        }
    }
}
