import FHIRJSON
import FHIRModel

/// Value set membership from locally available definitions: no terminology server.
///
/// A value set is expanded from its `expansion` when present, else from `compose`: included
/// concepts listed by code, whole code systems whose CodeSystem is available with complete
/// content, other value sets by reference, and `exclude` the same way. Filters and code systems
/// that are not available locally (SNOMED CT, LOINC) make the answer unknown (`nil`) rather than
/// a guess. Expansions are cached.
public final class LocalTerminology: Sendable {
    public let store: DefinitionStore
    private let cache = Locked<[String: Expansion?]>([:])

    /// A value set's codes, by system.
    public struct Expansion: Sendable {
        public var codes: [String: Set<String>]

        public func contains(system: String?, code: String) -> Bool {
            if let system { return codes[system]?.contains(code) ?? false }
            return codes.values.contains { $0.contains(code) }
        }
    }

    public init(store: DefinitionStore) {
        self.store = store
    }

    /// Whether the code is in the value set; `nil` when the value set cannot be expanded locally.
    public func isMember(system: String?, code: String, of valueSet: String) -> Bool? {
        expansion(of: valueSet)?.contains(system: system, code: code)
    }

    /// The expansion of a value set (canonical URL, optionally `|version`), or `nil`.
    public func expansion(of valueSet: String) -> Expansion? {
        if let cached = cache.withLock({ $0[valueSet] }) { return cached }
        var visiting: Set<String> = []
        let result = expand(valueSet, visiting: &visiting)
        cache.withLock { $0[valueSet] = result }
        return result
    }

    private func expand(_ reference: String, visiting: inout Set<String>) -> Expansion? {
        guard visiting.count < 32, visiting.insert(reference).inserted else { return nil }
        let parts = reference.split(separator: "|", maxSplits: 1).map(String.init)
        guard let url = parts.first, let vs = store.valueSet(url: url, version: parts.count > 1 ? parts[1] : nil)
        else { return nil }
        if let contains = vs["expansion"]?["contains"]?.arrayValue {
            var out = Expansion(codes: [:])
            collect(contains, into: &out)
            return out
        }
        guard let compose = vs["compose"] else { return nil }
        var out = Expansion(codes: [:])
        for include in compose["include"]?.arrayValue ?? [] {
            guard let part = expand(include: include, visiting: &visiting) else { return nil }
            for (system, codes) in part.codes { out.codes[system, default: []].formUnion(codes) }
        }
        for exclude in compose["exclude"]?.arrayValue ?? [] {
            guard let part = expand(include: exclude, visiting: &visiting) else { return nil }
            for (system, codes) in part.codes { out.codes[system]?.subtract(codes) }
        }
        return out
    }

    private func collect(_ contains: [JSONValue], into out: inout Expansion) {
        for item in contains {
            if let system = item["system"]?.stringValue, let code = item["code"]?.stringValue {
                out.codes[system, default: []].insert(code)
            }
            if let nested = item["contains"]?.arrayValue { collect(nested, into: &out) }
        }
    }

    /// One `include` / `exclude` entry.
    private func expand(include: JSONValue, visiting: inout Set<String>) -> Expansion? {
        guard include["filter"] == nil else { return nil }
        var out = Expansion(codes: [:])
        if let system = include["system"]?.stringValue {
            if let concepts = include["concept"]?.arrayValue {
                out.codes[system] = Set(concepts.compactMap { $0["code"]?.stringValue })
            } else {
                guard let cs = store.codeSystem(url: system), cs["content"]?.stringValue == "complete" else {
                    return nil
                }
                var codes: Set<String> = []
                Self.codes(in: cs["concept"]?.arrayValue ?? [], into: &codes)
                out.codes[system] = codes
            }
        }
        for other in include["valueSet"]?.arrayValue ?? [] {
            guard let url = other.stringValue, let part = expand(url, visiting: &visiting) else { return nil }
            if out.codes.isEmpty && include["system"] == nil {
                out = part
            } else {
                for (system, codes) in out.codes { out.codes[system] = codes.intersection(part.codes[system] ?? []) }
            }
        }
        return out
    }

    private static func codes(in concepts: [JSONValue], into codes: inout Set<String>) {
        for concept in concepts {
            if let code = concept["code"]?.stringValue { codes.insert(code) }
            if let nested = concept["concept"]?.arrayValue { Self.codes(in: nested, into: &codes) }
        }
    }
}
