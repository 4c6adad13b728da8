import FHIRModel

/// What an evaluation may use besides its input: variables, the clock, and the services behind
/// `memberOf()`, `conformsTo()`, `resolve()` of external references and `trace()`.
public struct FHIRPathEnvironment: Sendable {
    /// The values live in one shared box, replaced on change, so handing an environment to every
    /// evaluation costs one reference count rather than a copy of each field.
    private final class Storage: Sendable {
        let variables: [String: [FHIRPathValue]]
        let terminology: (any FHIRPathTerminology)?
        let profiles: (any FHIRPathProfileChecker)?
        let references: (any FHIRPathReferenceResolver)?
        let trace: (any FHIRPathTraceSink)?
        let now: FHIRDateTime?
        let defaultTimeZone: FHIRTimeZoneOffset?

        init(
            variables: [String: [FHIRPathValue]],
            terminology: (any FHIRPathTerminology)?,
            profiles: (any FHIRPathProfileChecker)?,
            references: (any FHIRPathReferenceResolver)?,
            trace: (any FHIRPathTraceSink)?,
            now: FHIRDateTime?,
            defaultTimeZone: FHIRTimeZoneOffset?
        ) {
            self.variables = variables
            self.terminology = terminology
            self.profiles = profiles
            self.references = references
            self.trace = trace
            self.now = now
            self.defaultTimeZone = defaultTimeZone
        }
    }

    private var storage: Storage
    /// The storage of every environment created empty (the common case), shared.
    private static let emptyStorage = Storage(
        variables: [:], terminology: nil, profiles: nil, references: nil, trace: nil, now: nil, defaultTimeZone: nil)

    /// Caller-supplied variables (`%name` without the `%`), each a collection.
    public var variables: [String: [FHIRPathValue]] {
        get { storage.variables }
        set {
            storage = Storage(
                variables: newValue, terminology: storage.terminology, profiles: storage.profiles,
                references: storage.references, trace: storage.trace, now: storage.now,
                defaultTimeZone: storage.defaultTimeZone)
        }
    }

    /// Value set membership for `memberOf()`; without one, `memberOf()` is an execution error.
    public var terminology: (any FHIRPathTerminology)? {
        get { storage.terminology }
        set {
            storage = Storage(
                variables: storage.variables, terminology: newValue, profiles: storage.profiles,
                references: storage.references, trace: storage.trace, now: storage.now,
                defaultTimeZone: storage.defaultTimeZone)
        }
    }

    /// Profile checking for `conformsTo()`; without one, `conformsTo()` is an execution error.
    public var profiles: (any FHIRPathProfileChecker)? {
        get { storage.profiles }
        set {
            storage = Storage(
                variables: storage.variables, terminology: storage.terminology, profiles: newValue,
                references: storage.references, trace: storage.trace, now: storage.now,
                defaultTimeZone: storage.defaultTimeZone)
        }
    }

    /// Resolution of references that are neither contained nor in the enclosing Bundle.
    public var references: (any FHIRPathReferenceResolver)? {
        get { storage.references }
        set {
            storage = Storage(
                variables: storage.variables, terminology: storage.terminology, profiles: storage.profiles,
                references: newValue, trace: storage.trace, now: storage.now, defaultTimeZone: storage.defaultTimeZone)
        }
    }

    /// Receives `trace()` output; `nil` discards it.
    public var trace: (any FHIRPathTraceSink)? {
        get { storage.trace }
        set {
            storage = Storage(
                variables: storage.variables, terminology: storage.terminology, profiles: storage.profiles,
                references: storage.references, trace: newValue, now: storage.now,
                defaultTimeZone: storage.defaultTimeZone)
        }
    }

    /// The moment `now()`, `today()` and `timeOfDay()` report; `nil` means the system clock
    /// (read once per evaluation, so every call in one evaluation agrees).
    public var now: FHIRDateTime? {
        get { storage.now }
        set {
            storage = Storage(
                variables: storage.variables, terminology: storage.terminology, profiles: storage.profiles,
                references: storage.references, trace: storage.trace, now: newValue,
                defaultTimeZone: storage.defaultTimeZone)
        }
    }

    /// The zone assumed for date-times without one, when compared with zoned ones.
    public var defaultTimeZone: FHIRTimeZoneOffset? {
        get { storage.defaultTimeZone }
        set {
            storage = Storage(
                variables: storage.variables, terminology: storage.terminology, profiles: storage.profiles,
                references: storage.references, trace: storage.trace, now: storage.now, defaultTimeZone: newValue)
        }
    }

    public init(
        variables: [String: [FHIRPathValue]] = [:], terminology: (any FHIRPathTerminology)? = nil,
        profiles: (any FHIRPathProfileChecker)? = nil, references: (any FHIRPathReferenceResolver)? = nil,
        trace: (any FHIRPathTraceSink)? = nil, now: FHIRDateTime? = nil, defaultTimeZone: FHIRTimeZoneOffset? = nil
    ) {
        let isEmpty =
            variables.isEmpty && terminology == nil && profiles == nil && references == nil && trace == nil
            && now == nil && defaultTimeZone == nil
        storage =
            isEmpty
            ? Self.emptyStorage
            : Storage(
                variables: variables, terminology: terminology, profiles: profiles, references: references,
                trace: trace, now: now, defaultTimeZone: defaultTimeZone)
    }
}

/// Answers `memberOf()` from locally available value sets.
public protocol FHIRPathTerminology: Sendable {
    /// Whether the code (with its system, when known) is in the value set with this canonical
    /// URL; `nil` when the value set is unknown or cannot be expanded locally.
    func isMember(system: String?, code: String, of valueSet: String) -> Bool?
}

/// Answers `conformsTo()`.
public protocol FHIRPathProfileChecker: Sendable {
    /// Whether the resource or element conforms to the profile; `nil` when the profile is unknown.
    func conforms(_ node: FHIRPathNode, to profile: String) -> Bool?
    /// The ElementDefinition (as an element tree) that describes the node, for `elementDefinition()`.
    func elementDefinition(of node: FHIRPathNode) -> ElementNode?
    /// Whether the node matches the named slice of the given profile; `nil` when unknown.
    func matches(_ node: FHIRPathNode, slice: String, of structure: String) -> Bool?
}

extension FHIRPathProfileChecker {
    public func elementDefinition(of node: FHIRPathNode) -> ElementNode? { nil }
    public func matches(_ node: FHIRPathNode, slice: String, of structure: String) -> Bool? { nil }
}

/// Resolves references that are not inside the resource being evaluated.
public protocol FHIRPathReferenceResolver: Sendable {
    func resolve(reference: String, from node: FHIRPathNode?) -> ElementNode?
}

/// Receives `trace(name, projection)` output.
public protocol FHIRPathTraceSink: Sendable {
    func trace(name: String, values: [FHIRPathValue])
}
