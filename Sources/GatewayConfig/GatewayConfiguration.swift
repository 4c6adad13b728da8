import Foundation

/// The gateway's configuration file (YAML): the store, the clinic, the retry policy and the
/// targets. Every optional key has a default; unknown keys are errors; relative paths resolve
/// against the configuration file's folder. See `docs/configuration.md` for every key.
public struct GatewayConfiguration: Sendable, Equatable {
    /// The file it was read from (nil when parsed from text without one).
    public var file: String?
    public var store: StoreSettings
    public var clinic: ClinicSettings
    public var retry: RetrySettings
    /// How many requests run at once per target.
    public var concurrency: Int
    public var targets: [TargetConfiguration]

    public static let defaultConcurrency = 4
    /// How errors name configuration text parsed without a file.
    public static let unnamedFile = "<configuration>"
    /// The largest configuration file read.
    public static let maximumFileSize = 1 << 20

    public init(
        file: String? = nil, store: StoreSettings = StoreSettings(), clinic: ClinicSettings = ClinicSettings(),
        retry: RetrySettings = RetrySettings(), concurrency: Int = GatewayConfiguration.defaultConcurrency,
        targets: [TargetConfiguration] = []
    ) {
        self.file = file
        self.store = store
        self.clinic = clinic
        self.retry = retry
        self.concurrency = concurrency
        self.targets = targets
    }

    /// The target with this name.
    public func target(named name: String) -> TargetConfiguration? {
        targets.first { $0.name == name }
    }

    /// Reads and checks a configuration file.
    public static func load(path: String) throws(ConfigError) -> GatewayConfiguration {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw ConfigError(.unreadable, "cannot read the file", file: path)
        }
        if let size = attributes[.size] as? Int, size > maximumFileSize {
            throw ConfigError(.unreadable, "the file is larger than \(maximumFileSize) bytes", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(.unreadable, "cannot read the file", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(.unreadable, "the file is not UTF-8 text", file: path)
        }
        return try parse(yaml: text, file: path)
    }

    /// Checks configuration text. `file` names it in errors; relative paths resolve against
    /// `baseDirectory`, by default the folder of `file` (the current folder when it has none).
    public static func parse(yaml: String, file: String = unnamedFile, baseDirectory: String? = nil)
        throws(ConfigError) -> GatewayConfiguration
    {
        guard yaml.utf8.count <= maximumFileSize else {
            throw ConfigError(.unreadable, "the text is larger than \(maximumFileSize) bytes", file: file)
        }
        let base = baseDirectory ?? PathResolution.folder(of: file)
        let context = ConfigContext(file: file, baseDirectory: PathResolution.absolute(base))
        var configuration = try ConfigurationParser(context: context).parse(yaml)
        configuration.file = file == unnamedFile ? nil : file
        return configuration
    }
}
