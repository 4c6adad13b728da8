import FHIRModel
import FHIRPath

extension ResourceWalker {
    /// The element's own rules: fixed/pattern, ranges, length and binding (``checkValueRules``),
    /// then its invariants.
    mutating func checkOwnRules(
        _ node: ElementNode, def: ElementDefinitionInfo, profile: ResolvedProfile, scope: FHIRPathScope?, path: String,
        skipConstraints: Set<String>
    ) {
        checkValueRules(node, def: def, profile: profile, path: path)
        guard validator.options.checkInvariants else { return }
        for constraint in def.constraints {
            guard let expression = constraint.expression, !skipConstraints.contains(constraint.key),
                !Self.skippedInvariants.contains(constraint.key)
            else { continue }
            checkInvariant(constraint, expression: expression, node: node, scope: scope, path: path)
        }
    }

    /// Invariants not evaluated here because a dedicated check reports the same thing with a
    /// better message: `txt-2` (narrative has non-whitespace content) is `NarrativeRules`.
    static let skippedInvariants: Set<String> = ["txt-2"]

    mutating func checkInvariant(
        _ constraint: ElementDefinitionInfo.Constraint, expression: String, node: ElementNode, scope: FHIRPathScope?,
        path: String
    ) {
        let severity: Issue.Severity = constraint.severity == "warning" ? .warning : .error
        // txt-1 on a narrative that is not well-formed XHTML: `NarrativeRules` reports the
        // syntax error; the invariant would only repeat it.
        if constraint.key == "txt-1", let div = node.typeName == "xhtml" ? node : node.child(named: "div") {
            var probe: [Issue] = []
            NarrativeRules.check(div, path: path, into: &probe)
            if probe.contains(where: { $0.code == .narrativeSyntax }) { return }
        }
        switch context.invariants.compiled(expression) {
        case .failure(let error):
            issues.append(
                Issue(
                    .warning, .invariantNotEvaluated,
                    "the invariant \(constraint.key) could not be compiled (\(error.message))", path: path,
                    position: node.position))
        case .success(let compiled):
            let focus = FHIRPathNode(element: node, scope: node.isResource ? scope : scope)
            do throws(FHIRPathError) {
                let result = try compiled.evaluate(on: focus, environment: environment)
                if Self.passes(result) { return }
                if constraint.key == "dom-3", Self.containedReferencedIncludingNarrative(node) { return }
                issues.append(
                    Issue(
                        severity, .invariant, "\(constraint.key): \(constraint.human)", path: path,
                        position: node.position))
            } catch {
                issues.append(
                    Issue(
                        .warning, .invariantNotEvaluated,
                        "the invariant \(constraint.key) could not be evaluated (\(error.message))", path: path,
                        position: node.position))
            }
        }
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
