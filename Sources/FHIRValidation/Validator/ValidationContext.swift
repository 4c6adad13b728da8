import FHIRDefinitions
import FHIRModel
import FHIRPath

/// Everything validation reads, built once and shared by every validation (thread-safe):
/// the model, the definitions, local terminology, resolved profiles and compiled invariants.
public final class ValidationContext: Sendable {
    public let model: ModelInfo
    public let store: DefinitionStore
    public let terminology: LocalTerminology
    public let profiles: ProfileCatalog
    /// FHIRPath with R4-era `as()` on collections, as the published invariants need.
    public let fhirpath: FHIRPathEngine
    public let invariants: InvariantCache
    /// Reference target types by target profile list (see `ReferenceChecker.allowedTargets`).
    let allowedTargets = Locked<[TargetProfiles: (any: Bool, types: [String], unresolved: [String])]>([:])

    /// A list of target profile URLs as a key, hashed by the lengths and ends of the URLs.
    struct TargetProfiles: Hashable {
        var urls: [String]

        func hash(into hasher: inout Hasher) {
            hasher.combine(urls.count)
            for url in urls {
                hasher.combine(url.utf8.count)
                hasher.combine(TerminologyAnswers.URLKey.tail(url))
            }
        }
    }
    /// Compiled discriminator paths and per-slice criteria.
    let slicing = SlicingCache()
    /// Questionnaires found for QuestionnaireResponses (and the references that found none).
    public let questionnaires = QuestionnaireCache()
    /// Value set membership answers for bindings.
    let terminologyAnswers = TerminologyAnswers()

    public convenience init(model: ModelInfo, store: DefinitionStore) {
        self.init(model: model, store: store, nativeInvariants: true)
    }

    /// `nativeInvariants: false` evaluates every invariant with FHIRPath (tests compare the two).
    init(model: ModelInfo, store: DefinitionStore, nativeInvariants: Bool) {
        self.model = model
        self.store = store
        self.terminology = LocalTerminology(store: store)
        self.fhirpath = FHIRPathEngine(model: model, asFiltersCollections: true)
        self.invariants = InvariantCache(engine: fhirpath, nativeDisabled: !nativeInvariants)
        self.profiles = ProfileCatalog(store: store, model: model, invariants: invariants)
        self.globalProfiles = Self.globalProfiles(in: store)
    }

    /// Profiles that ImplementationGuides among the definitions declare for every resource of a
    /// type (`ImplementationGuide.global`): resource type -> profile URLs.
    public let globalProfiles: [String: [String]]

    private static func globalProfiles(in store: DefinitionStore) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for ig in store.resources(ofType: "ImplementationGuide") {
            for global in ig["global"]?.arrayValue ?? [] {
                guard let type = global["type"]?.stringValue, let profile = global["profile"]?.stringValue else {
                    continue
                }
                out[type, default: []].append(profile)
            }
        }
        return out
    }
}

/// Invariant expressions compiled once per expression text (a failure to compile is remembered
/// too, so it is reported without recompiling), and the invariants of each element definition
/// prepared once: compiled, or in native form (``NativeInvariant``), with what a failure reports.
public final class InvariantCache: Sendable {
    let engine: FHIRPathEngine
    private let cache = Locked<[String: Result<CompiledFHIRPath, FHIRPathError>]>([:])
    /// Prepared invariants by element definition, in shards (by the definition's address) so that
    /// threads validating at once seldom wait for each other.
    private let prepared: [Locked<ProbingTable<DefinitionIdentity, [PreparedInvariant]>>]
    /// Invariants whose native form is not used (tests compare the two forms).
    let nativeDisabled: Bool

    static let shardCount = 16
    /// Prepared entries a shard keeps at most; beyond it (definitions made on the fly in
    /// unusual numbers) invariants are prepared again on each use instead of growing the cache.
    static let shardLimit = 50_000

    init(engine: FHIRPathEngine, nativeDisabled: Bool = false) {
        self.engine = engine
        self.nativeDisabled = nativeDisabled
        self.prepared = (0..<Self.shardCount).map { _ in Locked(ProbingTable(capacity: 64)) }
    }

    public func compiled(_ expression: String) -> Result<CompiledFHIRPath, FHIRPathError> {
        if let hit = cache.withLock({ $0[expression] }) { return hit }
        let result: Result<CompiledFHIRPath, FHIRPathError>
        do throws(FHIRPathError) {
            result = .success(try engine.compile(expression))
        } catch {
            result = .failure(error)
        }
        cache.withLock { $0[expression] = result }
        return result
    }

    /// The invariants of `definition` that the walker evaluates (those with an expression, minus
    /// the ones a dedicated check replaces), in declaration order.
    func invariants(of definition: ElementDefinitionInfo) -> [PreparedInvariant] {
        if definition.constraints.isEmpty { return [] }
        let key = DefinitionIdentity(definition)
        let address = UInt(bitPattern: ObjectIdentifier(definition))
        let shard = prepared[Int((address >> 4) % UInt(Self.shardCount))]
        if let hit = shard.withLock({ $0.find(key, tag: key.tag) }) { return hit }
        let invariants = prepare(definition.constraints)
        shard.withLock { table in
            if table.count < Self.shardLimit { table.insert(key, tag: key.tag, invariants) }
        }
        return invariants
    }

    /// The invariants of `definition` prepared afresh, not kept here (a resolved profile keeps them).
    func prepared(_ definition: ElementDefinitionInfo) -> [PreparedInvariant] {
        definition.constraints.isEmpty ? [] : prepare(definition.constraints)
    }

    private func prepare(_ constraints: [ElementDefinitionInfo.Constraint]) -> [PreparedInvariant] {
        constraints.compactMap { constraint in
            guard let published = constraint.expression,
                !ResourceWalker.skippedInvariants.contains(constraint.key)
            else { return nil }
            let expression = InvariantErrata.expression(key: constraint.key, published: published)
            let native = nativeDisabled ? nil : NativeInvariant.forExpression(expression)
            let compiled = native == nil ? compiled(expression) : nil
            // A simple shape is evaluated natively, when FHIRPath accepts the expression too.
            var pattern: InvariantPattern?
            if !nativeDisabled, case .success? = compiled { pattern = InvariantPattern.forExpression(expression) }
            return PreparedInvariant(
                constraint: constraint, expression: expression, native: native, pattern: pattern,
                compiled: compiled)
        }
    }
}

/// One invariant as the walker runs it (a class: the walker reads the invariants of every element
/// it visits, and handing a class around costs one reference count, not one per field).
final class PreparedInvariant: Sendable {
    let constraint: ElementDefinitionInfo.Constraint
    let expression: String
    /// The native form, when the expression has one.
    let native: NativeInvariant?
    /// The simple shape of the expression, when it has one (and no native form).
    let pattern: InvariantPattern?
    /// The compiled expression (for invariants without a native form; the others compile on
    /// demand, when their native form cannot decide).
    let compiled: Result<CompiledFHIRPath, FHIRPathError>?
    let severity: Issue.Severity
    /// `key: human`.
    let failureMessage: String

    init(
        constraint: ElementDefinitionInfo.Constraint, expression: String, native: NativeInvariant?,
        pattern: InvariantPattern? = nil, compiled: Result<CompiledFHIRPath, FHIRPathError>?
    ) {
        self.constraint = constraint
        self.expression = expression
        self.native = native
        self.pattern = pattern
        self.compiled = compiled
        self.severity = constraint.severity == "warning" ? .warning : .error
        self.failureMessage = "\(constraint.key): \(constraint.human)"
    }

    var key: String { constraint.key }
}

/// An element definition as a key compared by identity; its tag mixes its address (the entry
/// keeps the definition alive, so an address is never reused for another one while it is a key).
struct DefinitionIdentity: Equatable, Sendable {
    let definition: ElementDefinitionInfo
    let tag: UInt64

    init(_ definition: ElementDefinitionInfo) {
        self.definition = definition
        // Fibonacci hashing of the address without its alignment bits.
        let address = UInt64(UInt(bitPattern: ObjectIdentifier(definition)))
        tag = ProbingTable<Self, Int>.tag((address >> 4) &* 0x9E37_79B9_7F4A_7C15)
    }

    static func == (a: Self, b: Self) -> Bool { a.definition === b.definition }
}
