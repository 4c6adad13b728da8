import FHIRJSON

/// A ValueSet compiled for membership tests: each `include` / `exclude` becomes a ``Part`` whose
/// selection from its code system is computed once (concept lists, filters over a held code
/// system) or kept as "unknown, unless a code-level check fails" (systems not held).
struct CompiledValueSet: Sendable {
    let url: String
    var includes: [Part] = []
    var excludes: [Part] = []
    /// Displays and designations the value set itself gives (`compose.include.concept`,
    /// `expansion.contains`), by `system|code`.
    var displays: [String: [String]] = [:]
    /// The value set's own `expansion`, when it also has a `compose`: it answers what the
    /// compose cannot decide locally (an expansion may be stale, so the compose comes first).
    var expansion: [Part] = []
    /// Set when the value set cannot be used at all (not found, nothing to read).
    var unusable: LocalTerminology.UnknownReason?

    init(url: String) {
        self.url = url
    }

    /// One include or exclude: codes of `system` chosen by `selection`, intersected with every
    /// value set in `valueSets`.
    struct Part: Sendable {
        var system: String?
        var selection: Selection?
        var valueSets: [String]
    }

    /// The codes a part takes from its system, as far as they are known.
    struct Selection: Sendable {
        /// Codes certainly selected, as written.
        var codes: [String]
        /// `codes` as lookup keys (lowercased for a case-insensitive system).
        var keys: Set<String>
        var caseSensitive: Bool
        /// Why codes outside `codes` are not certainly excluded; `nil` when `codes` is exact.
        var reason: LocalTerminology.UnknownReason?
        /// When `reason` is set: keys outside this set are certainly excluded (nil: no bound).
        var candidates: Set<String>?
        /// When `reason` is set: a code failing one of these is certainly excluded.
        var checks: [LocalTerminologyFilter.CodeCheck]

        init(
            codes: [String], caseSensitive: Bool, reason: LocalTerminology.UnknownReason? = nil,
            candidates: Set<String>? = nil, checks: [LocalTerminologyFilter.CodeCheck] = []
        ) {
            self.codes = codes
            self.caseSensitive = caseSensitive
            self.keys = Set(codes.map { caseSensitive ? $0 : $0.lowercased() })
            self.reason = reason
            self.candidates = candidates
            self.checks = checks
        }

        func membership(_ code: String) -> LocalTerminology.Membership {
            let key = caseSensitive ? code : code.lowercased()
            if keys.contains(key) { return .member }
            guard let reason else { return .notMember }
            if let candidates, !candidates.contains(key) { return .notMember }
            if checks.contains(where: { !$0.passes(code) }) { return .notMember }
            return .unknown(reason)
        }
    }
}

extension LocalTerminology {
    /// Deepest chain of value sets importing value sets.
    static let maxValueSetNesting = 16

    /// Compiles a ValueSet resource. `reference` names it in reasons.
    func compile(valueSet vs: JSONValue, reference: String) -> CompiledValueSet {
        var out = CompiledValueSet(url: vs["url"]?.stringValue ?? reference)
        if let compose = vs["compose"] {
            out.includes = (compose["include"]?.arrayValue ?? []).map { compile(include: $0, displays: &out.displays) }
            var ignored: [String: [String]] = [:]
            out.excludes = (compose["exclude"]?.arrayValue ?? []).map { compile(include: $0, displays: &ignored) }
        }
        if let expansion = vs["expansion"], let contains = expansion["contains"]?.arrayValue {
            var bySystem: [String: [String]] = [:]
            var order: [String] = []
            var count = 0
            collect(contains, depth: 0) { item in
                guard let system = item["system"]?.stringValue, let code = item["code"]?.stringValue else { return }
                count += 1
                if bySystem[system] == nil { order.append(system) }
                bySystem[system, default: []].append(code)
                Self.addDisplays(of: item, system: system, code: code, to: &out.displays)
            }
            let total: Int? = if case .number(let n)? = expansion["total"] { Int(n) } else { nil }
            let complete = total.map { $0 <= count } ?? true
            out.expansion = order.map { system in
                .init(
                    system: system,
                    selection: .init(
                        codes: bySystem[system] ?? [],
                        caseSensitive: codeSystem(system, version: nil)?.caseSensitive ?? true,
                        reason: complete ? nil : .expansionIncomplete(out.url)),
                    valueSets: [])
            }
        }
        if vs["compose"] == nil {
            if out.expansion.isEmpty && vs["expansion"] == nil {
                out.unusable = .valueSetNotExpandable(out.url)
            }
            // Without a compose, the expansion is the definition.
            out.includes = out.expansion
            out.expansion = []
        }
        return out
    }

    /// Flattens nested `expansion.contains`.
    private func collect(_ contains: [JSONValue], depth: Int, _ body: (JSONValue) -> Void) {
        guard depth < LocalCodeSystem.maxDepth else { return }
        for item in contains {
            body(item)
            if let nested = item["contains"]?.arrayValue { collect(nested, depth: depth + 1, body) }
        }
    }

    private static func addDisplays(
        of item: JSONValue, system: String, code: String, to displays: inout [String: [String]]
    ) {
        var texts: [String] = []
        if let d = item["display"]?.stringValue { texts.append(d) }
        for d in item["designation"]?.arrayValue ?? [] { if let v = d["value"]?.stringValue { texts.append(v) } }
        if !texts.isEmpty { displays[system + "|" + code, default: []] += texts }
    }

    private func compile(include: JSONValue, displays: inout [String: [String]]) -> CompiledValueSet.Part {
        let valueSets = (include["valueSet"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard let system = include["system"]?.stringValue else {
            return .init(system: nil, selection: nil, valueSets: valueSets)
        }
        let held = codeSystem(system, version: include["version"]?.stringValue)
        let caseSensitive = held?.caseSensitive ?? true
        if let concepts = include["concept"]?.arrayValue, !concepts.isEmpty {
            let codes = concepts.compactMap { $0["code"]?.stringValue }
            for c in concepts {
                if let code = c["code"]?.stringValue {
                    Self.addDisplays(of: c, system: system, code: code, to: &displays)
                }
            }
            return .init(
                system: system, selection: .init(codes: codes, caseSensitive: caseSensitive), valueSets: valueSets)
        }
        let filters: [LocalTerminologyFilter] = (include["filter"]?.arrayValue ?? []).compactMap { f in
            guard let p = f["property"]?.stringValue, let op = f["op"]?.stringValue, let v = f["value"]?.stringValue
            else { return nil }
            return LocalTerminologyFilter(property: p, op: op, value: v)
        }
        let codeChecks = filters.compactMap(\.codeCheck)
        guard let held else {
            var checks = codeChecks
            if let kind = LocalTerminologySyntax.kind(ofSystem: system) { checks.append(.syntax(kind)) }
            return .init(
                system: system,
                selection: .init(codes: [], caseSensitive: true, reason: .codeSystemNotHeld(system), checks: checks),
                valueSets: valueSets)
        }
        // Intersect the filters that can be evaluated; remember the first that cannot.
        var selected = Set(0..<held.concepts.count)
        var unsupported: LocalTerminologyFilter?
        for filter in filters {
            if let hits = filter.select(in: held) {
                selected.formIntersection(hits)
            } else if unsupported == nil {
                unsupported = filter
            }
        }
        let codes = selected.sorted().map { held.concepts[$0].code }
        if let unsupported {
            let candidates = Set(codes.map { caseSensitive ? $0 : $0.lowercased() })
            let reason = UnknownReason.filterNotSupported(
                system: system, property: unsupported.property, op: unsupported.op)
            let selection = CompiledValueSet.Selection(
                codes: [], caseSensitive: caseSensitive, reason: reason,
                candidates: held.status == .complete ? candidates : nil, checks: codeChecks)
            return .init(system: system, selection: selection, valueSets: valueSets)
        }
        let selection = CompiledValueSet.Selection(
            codes: codes, caseSensitive: caseSensitive,
            reason: held.status == .complete ? nil : .codeSystemFragment(system), checks: codeChecks)
        return .init(system: system, selection: selection, valueSets: valueSets)
    }

    // MARK: Evaluation

    func evaluate(_ vs: CompiledValueSet, system: String?, code: String, depth: Int) -> Membership {
        if let unusable = vs.unusable { return .unknown(unusable) }
        let composed = evaluateCompose(vs, system: system, code: code, depth: depth)
        guard case .unknown = composed, !vs.expansion.isEmpty else { return composed }
        let expanded = Membership.any(vs.expansion.map { evaluate($0, system: system, code: code, depth: depth) })
        return expanded == .member ? .member : composed
    }

    private func evaluateCompose(_ vs: CompiledValueSet, system: String?, code: String, depth: Int) -> Membership {
        let included = Membership.any(vs.includes.map { evaluate($0, system: system, code: code, depth: depth) })
        if included == .notMember || vs.excludes.isEmpty { return included }
        let excluded = Membership.any(vs.excludes.map { evaluate($0, system: system, code: code, depth: depth) })
        switch (included, excluded) {
        case (_, .member): return .notMember
        case (.member, .notMember): return .member
        case (.unknown(let r), _), (_, .unknown(let r)): return .unknown(r)
        default: return .notMember
        }
    }

    private func evaluate(_ part: CompiledValueSet.Part, system: String?, code: String, depth: Int) -> Membership {
        var results: [Membership] = []
        if let partSystem = part.system {
            if let system, system != partSystem { return .notMember }
            results.append(part.selection?.membership(code) ?? .notMember)
        } else if part.valueSets.isEmpty {
            return .notMember
        }
        for reference in part.valueSets {
            if results.contains(.notMember) { break }
            results.append(membership(system: system, code: code, valueSet: reference, depth: depth + 1))
        }
        return .all(results)
    }

    /// Every code of a value set by system, when all of it can be enumerated locally.
    func enumerate(_ vs: CompiledValueSet, depth: Int) -> Expansion? {
        guard vs.unusable == nil else { return nil }
        if let composed = enumerateCompose(vs, depth: depth) { return composed }
        // A compose that cannot be enumerated: the value set's own complete expansion, if any.
        guard !vs.expansion.isEmpty, vs.expansion.allSatisfy({ $0.selection?.reason == nil }) else { return nil }
        var out = Expansion(codes: [:])
        for part in vs.expansion {
            if let system = part.system, let codes = part.selection?.codes {
                out.codes[system, default: []].formUnion(codes)
            }
        }
        return out
    }

    private func enumerateCompose(_ vs: CompiledValueSet, depth: Int) -> Expansion? {
        var out = Expansion(codes: [:])
        for part in vs.includes {
            guard let codes = enumerate(part, depth: depth) else { return nil }
            for (system, set) in codes.codes { out.codes[system, default: []].formUnion(set) }
        }
        for part in vs.excludes {
            guard let codes = enumerate(part, depth: depth) else { return nil }
            for (system, set) in codes.codes { out.codes[system]?.subtract(set) }
        }
        return out
    }

    private func enumerate(_ part: CompiledValueSet.Part, depth: Int) -> Expansion? {
        var current: Expansion?
        if let system = part.system {
            guard let selection = part.selection, selection.reason == nil else { return nil }
            current = Expansion(codes: [system: Set(selection.codes)])
        }
        for reference in part.valueSets {
            guard let other = expansion(of: reference, depth: depth + 1) else { return nil }
            guard let base = current else {
                current = other
                continue
            }
            var narrowed = Expansion(codes: [:])
            for (system, set) in base.codes { narrowed.codes[system] = set.intersection(other.codes[system] ?? []) }
            current = narrowed
        }
        return current ?? Expansion(codes: [:])
    }
}
