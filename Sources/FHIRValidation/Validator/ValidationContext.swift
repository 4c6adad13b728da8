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
    /// Compiled discriminator paths and per-slice criteria.
    let slicing = SlicingCache()
    /// Questionnaires found for QuestionnaireResponses (and the references that found none).
    public let questionnaires = QuestionnaireCache()

    public init(model: ModelInfo, store: DefinitionStore) {
        self.model = model
        self.store = store
        self.terminology = LocalTerminology(store: store)
        self.profiles = ProfileCatalog(store: store, model: model)
        self.fhirpath = FHIRPathEngine(model: model, asFiltersCollections: true)
        self.invariants = InvariantCache(engine: fhirpath)
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

/// Invariant expressions compiled once per expression text. A failure to compile is remembered
/// too, so it is reported without recompiling.
public final class InvariantCache: Sendable {
    let engine: FHIRPathEngine
    private let cache = Locked<[String: Result<CompiledFHIRPath, FHIRPathError>]>([:])

    init(engine: FHIRPathEngine) {
        self.engine = engine
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
}
