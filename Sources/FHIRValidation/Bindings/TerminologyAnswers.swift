import FHIRDefinitions

/// Answers of ``LocalTerminology`` that bindings ask for over and over (the same value sets and
/// codes in every resource): whether a value set is available, and whether a code is in it.
/// `LocalTerminology` keeps compiled value sets, but each question still copies one out and
/// evaluates it; here a repeated question costs one lookup. The answers depend only on the
/// definitions, which do not change during validation. Bounded: past ``limit`` entries new
/// answers are not kept. Thread-safe.
final class TerminologyAnswers: Sendable {
    struct Key: Hashable, Sendable {
        var valueSet: String
        var system: String?
        var code: String
    }

    static let limit = 100_000

    private let memberships = Locked<[Key: LocalTerminology.Membership]>([:])
    private let available = Locked<[String: Bool]>([:])

    func hasValueSet(_ valueSet: String, _ terminology: LocalTerminology) -> Bool {
        if let hit = available.withLock({ $0[valueSet] }) { return hit }
        let answer = terminology.hasValueSet(valueSet)
        available.withLock { if $0.count < Self.limit { $0[valueSet] = answer } }
        return answer
    }

    func membership(system: String?, code: String, valueSet: String, _ terminology: LocalTerminology)
        -> LocalTerminology.Membership
    {
        let key = Key(valueSet: valueSet, system: system, code: code)
        if let hit = memberships.withLock({ $0[key] }) { return hit }
        let answer = terminology.membership(system: system, code: code, valueSet: valueSet)
        memberships.withLock { if $0.count < Self.limit { $0[key] = answer } }
        return answer
    }
}
