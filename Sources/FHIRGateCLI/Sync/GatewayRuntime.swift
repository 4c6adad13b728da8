import FHIRGate
import Foundation

/// What the sync commands run on: the configuration, the core model, the outbox store, and one
/// ``SyncTarget`` per configured target (transport, auth, client, capabilities).
struct GatewayRuntime {
    let configuration: GatewayConfiguration
    let model: ModelInfo
    let store: SQLiteOutboxStore
    /// The targets that could be set up, in configuration order.
    var targets: [SyncTarget] = []
    /// Targets that could not be set up (unreadable key, unreachable metadata), with why.
    var failures: [(target: String, message: String)] = []
    private var transports: [HTTPTransport] = []

    struct SetupError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads the configuration and opens the store (no network).
    static func open(_ options: GatewayOptions) throws -> GatewayRuntime {
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration.load(path: options.configPath)
        } catch {
            throw SetupError(description: error.description)
        }
        for name in options.targets where configuration.target(named: name) == nil {
            throw SetupError(
                description: "\(options.configPath): no target named \(name) (targets: "
                    + configuration.targets.map(\.name).joined(separator: ", ") + ")")
        }
        // A secret that cannot be read (an unset variable, a missing file) is a configuration
        // error found before anything is sent (exit 2), like any other in the file.
        for target in selected(options, of: configuration) {
            do {
                try target.checkSecrets()
            } catch {
                throw SetupError(description: "\(options.configPath): \(error.description)")
            }
        }
        let model = try options.packages.loadCoreModel()
        let storePath = configuration.store.path
        let folder = (storePath as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let store: SQLiteOutboxStore
        do {
            store = try SQLiteOutboxStore(path: storePath)
        } catch {
            throw SetupError(description: error.description)
        }
        return GatewayRuntime(configuration: configuration, model: model, store: store)
    }

    /// The configured targets the command works on.
    func selected(_ options: GatewayOptions) -> [TargetConfiguration] {
        Self.selected(options, of: configuration)
    }

    static func selected(_ options: GatewayOptions, of configuration: GatewayConfiguration) -> [TargetConfiguration] {
        options.targets.isEmpty
            ? configuration.targets : configuration.targets.filter { options.targets.contains($0.name) }
    }

    /// Sets up the clients of the selected targets and reads their capabilities (the server's
    /// CapabilityStatement, or the declared file). A target that fails is reported, not fatal.
    mutating func connect(_ selected: [TargetConfiguration]) async {
        for config in selected {
            do {
                targets.append(try await makeTarget(config))
            } catch {
                failures.append((config.name, "\(error)"))
            }
        }
    }

    /// Ends every transport's thread.
    func shutdown() async {
        for transport in transports { await transport.shutdown() }
    }

    var retryPolicy: RetryPolicy {
        RetryPolicy(
            maxAttempts: configuration.retry.maxAttempts, initialDelay: configuration.retry.initialDelay,
            maxDelay: configuration.retry.maxDelay, multiplier: configuration.retry.multiplier)
    }

    /// The clinic's translation settings from the configuration.
    func translationOptions() -> ClinicTranslationOptions? {
        guard let now = WallClock.nowInstant() else { return nil }
        var options = ClinicTranslationOptions(
            translationTime: now, clinicOrganizationId: configuration.clinic.organization ?? "CLINIC")
        if let base = configuration.clinic.base { options.clinicBase = base }
        return options
    }

    var clinicBase: String { configuration.clinic.base ?? ClinicCanonical.defaultClinicBase }

    private mutating func makeTarget(_ config: TargetConfiguration) async throws -> SyncTarget {
        var tls = TLSConfiguration(caFile: config.tls.caFile, pinnedPublicKeys: config.tls.pinnedPublicKeys)
        if let certificate = config.tls.clientCertificate, let key = config.tls.clientKey {
            tls.clientCertificate = TLSConfiguration.ClientCertificate(
                certificateFile: certificate, keyFile: key, keyPassword: try config.tls.clientKeyPassword?.resolve())
        }
        let transport = try HTTPTransport(
            configuration: TransportConfiguration(
                tls: tls, maxConnectionsPerHost: max(1, configuration.concurrency),
                userAgent: "fhirgate"))
        transports.append(transport)
        let auth: any AuthProvider
        switch config.auth {
        case .none: auth = NoAuth()
        case .bearer(let token): auth = BearerTokenAuth(token: try token.resolve())
        case .basic(let username, let password): auth = BasicAuth(username: username, password: try password.resolve())
        case .smart(let smart):
            auth = SMARTBackendAuth(
                fhirBaseURL: config.baseURL, clientID: smart.clientId, key: try SigningKey.load(pemFile: smart.keyFile),
                scopes: smart.scopes.joined(separator: " "), transport: transport, tokenEndpoint: smart.tokenEndpoint)
        }
        let format: FHIRFormat = config.format == .xml ? .xml : .json
        let client = FHIRClient(
            baseURL: config.baseURL, transport: transport, auth: auth, model: model, format: format,
            retry: retryPolicy)
        var capabilities: TargetCapabilities
        switch config.capabilities {
        case .server:
            guard let statement = try await client.capabilities().resource else {
                throw SetupError(description: "the server's metadata is not a CapabilityStatement")
            }
            capabilities = try TargetCapabilities(capabilityStatement: statement)
        case .declared(let file):
            capabilities = try TargetCapabilities.load(file: file, model: model)
        }
        capabilities.maxBundleEntries = config.maxBundleEntries
        let recipient: DisclosureRecipient? =
            switch config.recipient {
            case .organization(let id): .organization(id)
            case .practitioner(let id): .practitioner(id)
            case nil: nil
            }
        return SyncTarget(
            name: config.name, client: client, format: format, capabilities: capabilities, recipient: recipient)
    }
}
