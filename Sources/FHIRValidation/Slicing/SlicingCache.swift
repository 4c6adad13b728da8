import FHIRDefinitions
import FHIRPath

/// What slicing works out once and reuses: compiled discriminator paths and what each slice
/// requires per discriminator. Thread-safe; share one per ``ValidationContext``.
final class SlicingCache: Sendable {
    private let paths = Locked<[String: Result<CompiledFHIRPath, FHIRPathError>]>([:])
    private let criteria = Locked<[CriterionKey: DiscriminatorCriterion]>([:])
    /// The profiles criteria were read from, kept alive so that their identities stay unique.
    private let profiles = Locked<[ObjectIdentifier: ResolvedProfile]>([:])

    struct CriterionKey: Hashable {
        var profile: ObjectIdentifier
        var slice: Int
        var discriminator: ElementDefinitionInfo.Slicing.Discriminator
    }

    init() {}

    /// The discriminator path compiled for evaluation on an item (a failure is remembered).
    func compiled(_ path: String, engine: FHIRPathEngine) -> Result<CompiledFHIRPath, FHIRPathError> {
        if let hit = paths.withLock({ $0[path] }) { return hit }
        let result: Result<CompiledFHIRPath, FHIRPathError>
        do throws(FHIRPathError) {
            result = .success(try engine.compile(path))
        } catch {
            result = .failure(error)
        }
        paths.withLock { $0[path] = result }
        return result
    }

    /// What slice `slice` of `profile` requires for `discriminator`, computed once.
    func criterion(
        profile: ResolvedProfile, slice: Int, discriminator: ElementDefinitionInfo.Slicing.Discriminator,
        compute: () -> DiscriminatorCriterion
    ) -> DiscriminatorCriterion {
        let key = CriterionKey(profile: ObjectIdentifier(profile), slice: slice, discriminator: discriminator)
        if let hit = criteria.withLock({ $0[key] }) { return hit }
        let value = compute()
        profiles.withLock { $0[key.profile] = profile }
        criteria.withLock { $0[key] = value }
        return value
    }
}
