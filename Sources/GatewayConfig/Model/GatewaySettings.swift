/// Where the outbox store lives.
public struct StoreSettings: Sendable, Equatable {
    /// The default store file, relative to the configuration file's folder.
    public static let defaultPath = ".fhirgate/outbox.sqlite"

    /// The SQLite file (absolute once loaded from a file).
    public var path: String

    public init(path: String = StoreSettings.defaultPath) {
        self.path = path
    }
}

/// The clinic the gateway speaks for.
public struct ClinicSettings: Sendable, Equatable {
    /// The clinic's base URL, the root of its identifier systems (nil: the translator's default).
    public var base: String?
    /// The clinic's own `organization` record id (nil: the translator's default).
    public var organization: String?

    public init(base: String? = nil, organization: String? = nil) {
        self.base = base
        self.organization = organization
    }
}

/// How failed deliveries are retried: exponential backoff from `initialDelay`, growing by
/// `multiplier` per attempt up to `maxDelay`, at most `maxAttempts` attempts in all.
public struct RetrySettings: Sendable, Equatable {
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration
    public var multiplier: Double

    public init(
        maxAttempts: Int = 8, initialDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(300),
        multiplier: Double = 2
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
    }
}
