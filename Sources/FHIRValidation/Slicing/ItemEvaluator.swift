import FHIRJSON
import FHIRModel
import FHIRPath

/// Checks one item against a slice's discriminator criteria. The values a discriminator path
/// selects from an item are computed once per item and path, whichever slices ask.
struct ItemEvaluator {
    let matcher: SliceMatcher
    private var itemIndex = -1
    private var values: [String: Result<[FHIRPathValue], FHIRPathError>] = [:]

    init(matcher: SliceMatcher) {
        self.matcher = matcher
    }

    /// Why the item fails the first failing check, or `nil` when it passes them all.
    mutating func firstFailure(
        _ item: FHIRPathNode, itemIndex: Int, _ checks: [(path: String, criterion: DiscriminatorCriterion)]
    ) -> String? {
        if itemIndex != self.itemIndex {
            self.itemIndex = itemIndex
            values.removeAll(keepingCapacity: true)
        }
        for (path, criterion) in checks {
            if case .undecidable(let reason) = criterion { return reason }
            let selected: [FHIRPathValue]
            switch select(item, path) {
            case .success(let v): selected = v
            case .failure: return "'\(path)' could not be evaluated on the item"
            }
            if let reason = failure(selected, criterion, path: path) { return reason }
        }
        return nil
    }

    private mutating func select(_ item: FHIRPathNode, _ path: String) -> Result<[FHIRPathValue], FHIRPathError> {
        if let hit = values[path] { return hit }
        let result: Result<[FHIRPathValue], FHIRPathError>
        switch matcher.cache.compiled(path, engine: matcher.context.fhirpath) {
        case .success(let compiled):
            do throws(FHIRPathError) {
                result = .success(try compiled.evaluate(on: item))
            } catch {
                result = .failure(error)
            }
        case .failure(let error):
            result = .failure(error)
        }
        values[path] = result
        return result
    }

    /// Why the selected values fail the criterion (definition terms only), or `nil`.
    private func failure(_ selected: [FHIRPathValue], _ criterion: DiscriminatorCriterion, path: String) -> String? {
        switch criterion {
        case .undecidable(let reason):
            return reason
        case .presence(let mustExist):
            if mustExist && selected.isEmpty { return "'\(path)' is absent but the slice requires it" }
            if !mustExist && !selected.isEmpty { return "'\(path)' is present but the slice forbids it" }
            return nil
        case .values(let expected):
            guard !selected.isEmpty else { return "'\(path)' has no value" }
            for e in expected {
                var unknown = false
                let met = selected.contains { value in
                    switch meets(value, e) {
                    case .some(let answer): return answer
                    case .none:
                        unknown = true
                        return false
                    }
                }
                if met { continue }
                if unknown, case .binding(let url) = e {
                    return "'\(path)': the value set \(url) cannot be expanded locally, so the code is not checked"
                }
                return "'\(path)' does not match \(e.summary)"
            }
            return nil
        case .types(let allowed):
            guard !selected.isEmpty else { return "'\(path)' has no value" }
            for value in selected {
                let type = typeName(of: value)
                let ok = allowed.contains { a in a == type || matcher.context.model.isType(type, a: a) }
                if !ok { return "'\(path)' is not of type " + allowed.joined(separator: " or ") }
            }
            return nil
        case .profiles(let urls):
            guard !selected.isEmpty else { return "'\(path)' has no value" }
            for value in selected {
                guard case .node(let node) = value, urls.contains(where: { matcher.conforms(node, $0) }) else {
                    return "'\(path)' does not conform to " + urls.joined(separator: " or ")
                }
            }
            return nil
        }
    }

    private func typeName(of value: FHIRPathValue) -> String {
        if case .node(let n) = value { return n.typeName ?? "" }
        return value.type(in: matcher.context.model).name
    }

    /// Whether one selected value meets an expectation; `nil` when it cannot be decided (a value
    /// set that cannot be expanded locally).
    private func meets(_ value: FHIRPathValue, _ expected: ExpectedValue) -> Bool? {
        switch expected {
        case .fixed(let v):
            if case .node(let n) = value { return ValueMatching.matches(n.element, fixed: v) }
            return systemLexeme(value).map { ValueMatching.primitiveEqual($0, v.value, mode: .fixed) } ?? false
        case .pattern(let v):
            if case .node(let n) = value { return ValueMatching.matches(n.element, pattern: v) }
            return systemLexeme(value).map { ValueMatching.primitiveEqual($0, v.value, mode: .pattern) } ?? false
        case .binding(let valueSet):
            let codings = Self.codings(value)
            guard !codings.isEmpty else { return false }
            var unknown = false
            for (system, code) in codings {
                switch matcher.context.terminology.isMember(system: system, code: code, of: valueSet) {
                case .some(true): return true
                case .some(false): continue
                case .none: unknown = true
                }
            }
            return unknown ? nil : false
        }
    }

    /// The lexeme of a System value (a discriminator path ending in a function may give one).
    private func systemLexeme(_ value: FHIRPathValue) -> String? {
        switch value {
        case .string(let s): s
        case .boolean(let b): b ? "true" : "false"
        case .integer(let i), .long(let i): String(i)
        case .decimal(let d): d.lexeme
        case .date(let d), .dateTime(let d): d.lexeme
        case .time(let t): t.lexeme
        case .quantity, .node: nil
        }
    }

    /// The (system, code) pairs of a code, Coding or CodeableConcept.
    static func codings(_ value: FHIRPathValue) -> [(String?, String)] {
        switch value {
        case .string(let s): return [(nil, s)]
        case .node(let n):
            let e = n.element
            if e.isPrimitive { return e.value.map { [(nil, $0)] } ?? [] }
            if let code = e.childValue("code"), e.typeName != "CodeableConcept" {
                return [(e.childValue("system"), code)]
            }
            return e.children(named: "coding").compactMap { c in
                c.childValue("code").map { (c.childValue("system"), $0) }
            }
        default: return []
        }
    }
}
