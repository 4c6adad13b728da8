import FHIRJSON
import FHIRModel

/// Value set membership and code lookups from locally available definitions: no terminology
/// server.
///
/// A value set is read from its `expansion` when that is complete, else from `compose`: concepts
/// listed by code, whole code systems held locally with `complete` (or `fragment`) content,
/// filters that can be decided from a held CodeSystem (`is-a`, `descendent-of`, `is-not-a`,
/// `generalizes`, `child-of`, `=`, `in`, `not-in`, `regex`, `exists`; hierarchy from nested
/// concepts and `parent` / `subsumedBy` / `child` properties), other value sets by reference, and
/// `exclude` the same way. Anything that cannot be decided locally (SNOMED CT, LOINC, UCUM, a
/// filter on an unknown property) is ``Membership/unknown(_:)``, never a guess; for systems
/// defined by a grammar (MIME types, language tags, UCUM, ISO 3166) a malformed code is certainly
/// not a member. Compiled value sets and indexed code systems are cached; the class is safe to
/// share between threads.
public final class LocalTerminology: Sendable {
    public let store: DefinitionStore
    private let valueSets = Locked<[String: CompiledValueSet]>([:])
    private let codeSystems = Locked<[String: LocalCodeSystem?]>([:])
    private let expansions = Locked<[String: Expansion?]>([:])

    /// A value set's codes, by system.
    public struct Expansion: Sendable {
        public var codes: [String: Set<String>]

        public init(codes: [String: Set<String>]) {
            self.codes = codes
        }

        public func contains(system: String?, code: String) -> Bool {
            if let system { return codes[system]?.contains(code) ?? false }
            return codes.values.contains { $0.contains(code) }
        }
    }

    public init(store: DefinitionStore) {
        self.store = store
    }

    // MARK: Value sets

    /// Whether the code is in the value set (canonical URL, optionally `|version`); `nil` when
    /// that cannot be decided locally.
    public func isMember(system: String?, code: String, of valueSet: String) -> Bool? {
        membership(system: system, code: code, valueSet: valueSet).isMember
    }

    /// Whether the code is in the value set, with the reason when it cannot be decided. With no
    /// `system` (a `code` element), a code of any of the value set's systems matches.
    public func membership(system: String?, code: String, valueSet: String) -> Membership {
        membership(system: system, code: code, valueSet: valueSet, depth: 0)
    }

    /// Membership in a ValueSet given as a resource (a value set contained in a profile). With a
    /// `cacheKey` (such as the profile URL + `#id`) the compiled value set is kept for reuse.
    public func membership(
        system: String?, code: String, valueSetResource: JSONValue, cacheKey: String? = nil
    ) -> Membership {
        evaluate(compiled(resource: valueSetResource, cacheKey: cacheKey), system: system, code: code, depth: 0)
    }

    func membership(system: String?, code: String, valueSet: String, depth: Int) -> Membership {
        guard depth < Self.maxValueSetNesting else { return .unknown(.nestingTooDeep(valueSet)) }
        return evaluate(compiled(valueSet), system: system, code: code, depth: depth)
    }

    /// The expansion of a value set (canonical URL, optionally `|version`), or `nil` when it
    /// cannot be enumerated locally.
    public func expansion(of valueSet: String) -> Expansion? {
        expansion(of: valueSet, depth: 0)
    }

    func expansion(of valueSet: String, depth: Int) -> Expansion? {
        guard depth < Self.maxValueSetNesting else { return nil }
        if let cached = expansions.withLock({ $0[valueSet] }) { return cached }
        let result = enumerate(compiled(valueSet), depth: depth)
        // Only top-level results are cached: a nested call may have been cut short by depth.
        if depth == 0 { expansions.withLock { $0[valueSet] = result } }
        return result
    }

    /// Whether the value set can be found locally (it may still be undecidable for some codes).
    public func hasValueSet(_ valueSet: String) -> Bool {
        if case .valueSetNotFound = compiled(valueSet).unusable { return false }
        return true
    }

    /// The code systems a value set draws from, following imported value sets.
    public func codeSystems(ofValueSet valueSet: String) -> Set<String> {
        var out: Set<String> = []
        var seen: Set<String> = []
        var queue = [valueSet]
        while let next = queue.popLast(), seen.count < 256 {
            guard seen.insert(next).inserted else { continue }
            let vs = compiled(next)
            for part in vs.includes {
                if let s = part.system { out.insert(s) }
                queue += part.valueSets
            }
        }
        return out
    }

    /// Displays and designations the value set itself gives for a code (from its expansion or
    /// its listed concepts), which are acceptable displays besides the code system's.
    public func valueSetDisplays(system: String, code: String, valueSet: String) -> [String] {
        compiled(valueSet).displays[system + "|" + code] ?? []
    }

    /// Displays given by a value set resource (a contained value set); see
    /// ``membership(system:code:valueSetResource:cacheKey:)`` for `cacheKey`.
    public func valueSetDisplays(
        system: String, code: String, valueSetResource: JSONValue, cacheKey: String? = nil
    ) -> [String] {
        compiled(resource: valueSetResource, cacheKey: cacheKey).displays[system + "|" + code] ?? []
    }

    private func compiled(resource: JSONValue, cacheKey: String?) -> CompiledValueSet {
        let reference = resource["url"]?.stringValue ?? "#"
        guard let cacheKey else { return compile(valueSet: resource, reference: reference) }
        let key = "resource:" + cacheKey
        if let hit = valueSets.withLock({ $0[key] }) { return hit }
        let result = compile(valueSet: resource, reference: reference)
        valueSets.withLock { $0[key] = result }
        return result
    }

    private func compiled(_ reference: String) -> CompiledValueSet {
        if let hit = valueSets.withLock({ $0[reference] }) { return hit }
        let result: CompiledValueSet
        let parts = reference.split(separator: "|", maxSplits: 1).map(String.init)
        // The version asked for, else the newest held (a profile may pin a version we lack).
        if let url = parts.first,
            let vs = store.valueSet(url: url, version: parts.count > 1 ? parts[1] : nil) ?? store.valueSet(url: url)
        {
            result = compile(valueSet: vs, reference: reference)
        } else if let implicit = implicitValueSet(reference) {
            result = implicit
        } else {
            var missing = CompiledValueSet(url: reference)
            missing.unusable = .valueSetNotFound(reference)
            result = missing
        }
        valueSets.withLock { $0[reference] = result }
        return result
    }

    /// `http://system?fhir_vs`: all codes of a code system.
    private func implicitValueSet(_ reference: String) -> CompiledValueSet? {
        guard reference.hasSuffix("?fhir_vs") else { return nil }
        let system = String(reference.dropLast("?fhir_vs".count))
        guard !system.isEmpty else { return nil }
        let include = JSONValue.object(JSONObject([("system", .string(system))]))
        let vs = JSONValue.object(
            JSONObject([
                ("url", .string(reference)), ("compose", .object(JSONObject([("include", .array([include]))]))),
            ]))
        return compile(valueSet: vs, reference: reference)
    }

    // MARK: Code systems

    /// How much of a code system is held locally.
    public func codeSystemStatus(_ url: String) -> CodeSystemStatus {
        codeSystem(url, version: nil)?.status ?? .notHeld
    }

    /// The concept for a code in a held code system; `nil` when the system is not held or does
    /// not have the code (``codeSystemStatus(_:)`` tells which).
    public func lookup(system: String, code: String) -> Concept? {
        codeSystem(system, version: nil)?.concept(code)
    }

    /// Whether a code is defined by its code system: `.member` when a held system has it,
    /// `.notMember` when a complete system lacks it or the code is malformed for a grammar-based
    /// system, `.unknown` otherwise.
    public func validateCode(system: String, code: String) -> Membership {
        if let cs = codeSystem(system, version: nil) {
            if cs.contains(code) { return .member }
            return cs.status == .complete ? .notMember : .unknown(.codeSystemFragment(system))
        }
        if let kind = LocalTerminologySyntax.kind(ofSystem: system), !LocalTerminologySyntax.isWellFormed(code, kind) {
            return .notMember
        }
        return .unknown(.codeSystemNotHeld(system))
    }

    /// The held code system (the given version when available, else the newest), indexed.
    func codeSystem(_ url: String, version: String?) -> LocalCodeSystem? {
        let key = version.map { url + "|" + $0 } ?? url
        if let hit = codeSystems.withLock({ $0[key] }) { return hit }
        let json = version.flatMap { store.codeSystem(url: url, version: $0) } ?? store.codeSystem(url: url)
        let indexed = json.flatMap(LocalCodeSystem.init(json:))
        codeSystems.withLock { $0[key] = indexed }
        return indexed
    }
}
