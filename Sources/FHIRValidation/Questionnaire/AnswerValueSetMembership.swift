import FHIRDefinitions
import FHIRJSON
import FHIRModel

/// Whether a coded answer is in an item's `answerValueSet`: a ValueSet contained in the
/// Questionnaire (`#id`, expanded here from its `expansion` or its `compose` concept lists) or
/// one from the definitions, through ``LocalTerminology``. `nil` when that cannot be decided
/// offline (code systems or filters not available locally).
struct AnswerValueSetMembership {
    let terminology: LocalTerminology
    let containedValueSets: [String: ElementNode]

    func contains(system: String?, code: String, in valueSet: String) -> Bool? {
        guard valueSet.hasPrefix("#") else {
            return terminology.isMember(system: system, code: code, of: valueSet)
        }
        guard let node = containedValueSets[String(valueSet.dropFirst())] else { return nil }
        return expand(node)?.contains(system: system, code: code)
    }

    private func expand(_ valueSet: ElementNode) -> LocalTerminology.Expansion? {
        if let expansion = valueSet.child(named: "expansion") {
            var out = LocalTerminology.Expansion(codes: [:])
            collect(expansion.children(named: "contains"), into: &out, depth: 0)
            return out
        }
        guard let compose = valueSet.child(named: "compose") else { return nil }
        var out = LocalTerminology.Expansion(codes: [:])
        for include in compose.children(named: "include") {
            guard let part = expand(include: include) else { return nil }
            for (system, codes) in part.codes { out.codes[system, default: []].formUnion(codes) }
        }
        for exclude in compose.children(named: "exclude") {
            guard let part = expand(include: exclude) else { return nil }
            for (system, codes) in part.codes { out.codes[system]?.subtract(codes) }
        }
        return out
    }

    private func collect(_ contains: [ElementNode], into out: inout LocalTerminology.Expansion, depth: Int) {
        guard depth < 32 else { return }
        for item in contains {
            if let system = item.childValue("system"), let code = item.childValue("code") {
                out.codes[system, default: []].insert(code)
            }
            collect(item.children(named: "contains"), into: &out, depth: depth + 1)
        }
    }

    /// One `include`/`exclude`: listed concepts, a whole local code system, or other value sets.
    private func expand(include: ElementNode) -> LocalTerminology.Expansion? {
        guard include.child(named: "filter") == nil else { return nil }
        var out = LocalTerminology.Expansion(codes: [:])
        let system = include.childValue("system")
        if let system {
            let concepts = include.children(named: "concept")
            if !concepts.isEmpty {
                out.codes[system] = Set(concepts.compactMap { $0.childValue("code") })
            } else {
                guard let cs = terminology.store.codeSystem(url: system), cs["content"]?.stringValue == "complete"
                else { return nil }
                var codes: Set<String> = []
                Self.codes(in: cs["concept"]?.arrayValue ?? [], into: &codes, depth: 0)
                out.codes[system] = codes
            }
        }
        for other in include.children(named: "valueSet") {
            guard let url = other.value, let part = terminology.expansion(of: url) else { return nil }
            if system == nil && out.codes.isEmpty {
                out = part
            } else {
                for (s, codes) in out.codes { out.codes[s] = codes.intersection(part.codes[s] ?? []) }
            }
        }
        return out
    }

    private static func codes(in concepts: [JSONValue], into codes: inout Set<String>, depth: Int) {
        guard depth < 64 else { return }
        for concept in concepts {
            if let code = concept["code"]?.stringValue { codes.insert(code) }
            if let nested = concept["concept"]?.arrayValue { Self.codes(in: nested, into: &codes, depth: depth + 1) }
        }
    }
}
