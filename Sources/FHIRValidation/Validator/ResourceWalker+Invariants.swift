import FHIRModel
import FHIRPath

extension ResourceWalker {
    /// The element's own rules: fixed/pattern, ranges, length and binding (``checkValueRules``),
    /// then its invariants, except those whose key `outer` (the element definition whose type
    /// this element's definition describes) declares too: they were checked on `outer` already.
    mutating func checkOwnRules(
        _ node: ElementNode, def: ElementDefinitionInfo, profile: ResolvedProfile, index: Int, scope: FHIRPathScope?,
        path: ElementPath, skipConstraintsOf outer: ElementDefinitionInfo?
    ) {
        checkValueRules(node, def: def, profile: profile, path: path)
        guard validator.options.checkInvariants, !def.constraints.isEmpty else { return }
        // ele-1, on nearly every element, answered here without a call per invariant when it
        // holds (as its native form decides it).
        let ele1Holds = NativeInvariant.elementHasValueOrChildren(node)
        for invariant in profile.invariants(of: index, cache: context.invariants) {
            if ele1Holds && invariant.native == .elementHasValueOrChildren { continue }
            if let outer, outer.constraints.contains(where: { $0.key == invariant.key }) { continue }
            if skipsContainedInvariant(invariant.expression) { continue }
            checkInvariant(invariant, node: node, scope: scope, path: path)
        }
    }

    /// Invariants not evaluated here because a dedicated check reports the same thing with a
    /// better message: `txt-2` (narrative has non-whitespace content) is `NarrativeRules`.
    static let skippedInvariants: Set<String> = ["txt-2"]

    /// One invariant on one element: in native form when it has one (and it decides), else with
    /// FHIRPath.
    mutating func checkInvariant(
        _ invariant: PreparedInvariant, node: ElementNode, scope: FHIRPathScope?, path: ElementPath
    ) {
        if let outcome = invariant.native?.evaluate(node, scope: scope) ?? invariant.pattern?.evaluate(node) {
            switch outcome {
            case .pass: return
            case .fail:
                reportFailure(invariant, node: node, path: path)
                return
            case .undecided:
                break
            }
        }
        switch invariant.compiled ?? context.invariants.compiled(invariant.expression) {
        case .failure(let error):
            if isRepeatedNarrativeSyntaxError(invariant, node: node, path: path.text) { return }
            issues.append(
                Issue(
                    .warning, .invariantNotEvaluated,
                    "the invariant \(invariant.key) could not be compiled (\(error.message))", path: path.text,
                    position: node.position))
        case .success(let compiled):
            let focus = FHIRPathNode(element: node, scope: scope)
            do throws(FHIRPathError) {
                let result = try compiled.evaluate(on: focus, environment: environment)
                if Self.passes(result) { return }
                reportFailure(invariant, node: node, path: path)
            } catch {
                if isRepeatedNarrativeSyntaxError(invariant, node: node, path: path.text) { return }
                issues.append(
                    Issue(
                        .warning, .invariantNotEvaluated,
                        "the invariant \(invariant.key) could not be evaluated (\(error.message))", path: path.text,
                        position: node.position))
            }
        }
    }

    /// An invariant that does not hold, unless a dedicated check already says why.
    mutating func reportFailure(_ invariant: PreparedInvariant, node: ElementNode, path: ElementPath) {
        let path = path.text
        if isRepeatedNarrativeSyntaxError(invariant, node: node, path: path) { return }
        if invariant.key == "dom-3", Self.containedReferencedIncludingNarrative(node) { return }
        issues.append(
            Issue(invariant.severity, .invariant, invariant.failureMessage, path: path, position: node.position))
    }

    /// txt-1 on a narrative that is not well-formed XHTML: `NarrativeRules` reports the syntax
    /// error; the invariant would only repeat it. (Asked only when txt-1 does not hold, so a
    /// narrative that passes is not parsed again for it.)
    func isRepeatedNarrativeSyntaxError(_ invariant: PreparedInvariant, node: ElementNode, path: String) -> Bool {
        guard invariant.key == "txt-1", let div = node.typeName == "xhtml" ? node : node.child(named: "div") else {
            return false
        }
        var probe: [Issue] = []
        NarrativeRules.check(div, path: path, into: &probe)
        return probe.contains { $0.code == .narrativeSyntax }
    }

    /// An invariant fails only when it evaluates to `false` (or to something that is not a
    /// boolean); an empty result means it does not apply (`reference.startsWith('#').not() or ...`
    /// on a Reference without `reference`).
    static func passes(_ result: [FHIRPathValue]) -> Bool {
        if result.isEmpty { return true }
        guard result.count == 1 else { return false }
        switch result[0] {
        case .boolean(let b): return b
        case .node(let n):
            return n.systemValue.map { if case .boolean(let b) = $0 { return b } else { return false } } ?? false
        default: return false
        }
    }
}
