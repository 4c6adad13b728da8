import Foundation

/// One EHR the gateway delivers to (and pulls referrals from).
public struct TargetConfiguration: Sendable, Equatable {
    /// The target's name: the key of its outbox items, audit events and watermarks.
    public var name: String
    /// The FHIR base URL (https, no trailing slash).
    public var baseURL: String
    /// The format of request bodies.
    public var format: TargetFormat
    /// Who the disclosure is to (nil: nobody named, so content that needs a consent naming the
    /// recipient, 42 CFR Part 2, is withheld).
    public var recipient: RecipientConfiguration?
    public var auth: TargetAuth
    public var tls: TLSSettings
    public var capabilities: CapabilitySource
    /// The most entries in one transaction or batch Bundle.
    public var maxBundleEntries: Int
    public var pull: PullSettings

    public static let defaultMaxBundleEntries = 100

    public init(
        name: String, baseURL: String, format: TargetFormat = .json, recipient: RecipientConfiguration? = nil,
        auth: TargetAuth = .none, tls: TLSSettings = TLSSettings(), capabilities: CapabilitySource = .server,
        maxBundleEntries: Int = TargetConfiguration.defaultMaxBundleEntries, pull: PullSettings = PullSettings()
    ) {
        self.name = name
        self.baseURL = baseURL
        self.format = format
        self.recipient = recipient
        self.auth = auth
        self.tls = tls
        self.capabilities = capabilities
        self.maxBundleEntries = maxBundleEntries
        self.pull = pull
    }

    /// The target's secrets with their key paths (`auth.token`, `tls.clientKeyPassword`).
    public var secrets: [(keyPath: String, source: SecretSource)] {
        var out: [(String, SecretSource)] = []
        switch auth {
        case .bearer(let token): out.append(("auth.token", token))
        case .basic(_, let password): out.append(("auth.password", password))
        case .none, .smart: break
        }
        if let password = tls.clientKeyPassword { out.append(("tls.clientKeyPassword", password)) }
        return out
    }

    /// Reads every secret once, so that a missing one is found before anything is sent: the error
    /// names the target, the key and the source, never a value.
    public func checkSecrets(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) {
        for (keyPath, source) in secrets {
            do {
                _ = try source.resolve(environment: environment)
            } catch {
                throw ConfigError("target \(name): \(keyPath): \(error.description)")
            }
        }
    }
}

/// The recipient of a target's disclosures: a clinic record id (`recipient: ORG-REF-1` is an
/// organization; `recipient: {practitioner: PR-REF-05-3}` a practitioner).
public enum RecipientConfiguration: Sendable, Equatable {
    case organization(String)
    case practitioner(String)

    /// The clinic record id.
    public var id: String {
        switch self {
        case .organization(let id), .practitioner(let id): id
        }
    }
}

/// The body format used with a target.
public enum TargetFormat: String, Sendable, Equatable, CaseIterable {
    case json
    case xml
}

/// How the gateway authenticates to a target (mutual TLS is configured in ``TLSSettings``).
public enum TargetAuth: Sendable, Equatable {
    /// No Authorization header.
    case none
    /// A static bearer token.
    case bearer(token: SecretSource)
    /// HTTP basic authentication.
    case basic(username: String, password: SecretSource)
    /// SMART Backend Services (client credentials with a signed client assertion).
    case smart(SMARTSettings)

    /// The configuration spelling of the type.
    public var typeName: String {
        switch self {
        case .none: "none"
        case .bearer: "bearer"
        case .basic: "basic"
        case .smart: "smart"
        }
    }
}

/// SMART Backend Services settings of a target.
public struct SMARTSettings: Sendable, Equatable {
    /// The client id registered with the EHR.
    public var clientId: String
    /// The PEM private key that signs client assertions (absolute once loaded from a file).
    public var keyFile: String
    /// The scopes requested (`system/*.cruds`, ...).
    public var scopes: [String]
    /// The token endpoint; nil: discovered from `.well-known/smart-configuration`.
    public var tokenEndpoint: String?

    public init(clientId: String, keyFile: String, scopes: [String], tokenEndpoint: String? = nil) {
        self.clientId = clientId
        self.keyFile = keyFile
        self.scopes = scopes
        self.tokenEndpoint = tokenEndpoint
    }
}

/// TLS settings of a target (verification is always on; these only add to it).
public struct TLSSettings: Sendable, Equatable {
    /// A PEM file of CA certificates to trust instead of the system's.
    public var caFile: String?
    /// The client certificate (PEM) for mutual TLS.
    public var clientCertificate: String?
    /// The client certificate's private key (PEM).
    public var clientKey: String?
    /// The password of an encrypted client key.
    public var clientKeyPassword: SecretSource?
    /// `sha256//<base64>` hashes of the server public keys to accept (empty: no pinning).
    public var pinnedPublicKeys: [String]

    public init(
        caFile: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil,
        clientKeyPassword: SecretSource? = nil, pinnedPublicKeys: [String] = []
    ) {
        self.caFile = caFile
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.clientKeyPassword = clientKeyPassword
        self.pinnedPublicKeys = pinnedPublicKeys
    }
}

/// Where a target's capabilities (accepted resource types and interactions) come from.
public enum CapabilitySource: Sendable, Equatable {
    /// The server's CapabilityStatement (`GET [base]/metadata`).
    case server
    /// A CapabilityStatement JSON file (absolute once loaded from a file).
    case declared(file: String)
}

/// What is pulled from a target.
public struct PullSettings: Sendable, Equatable {
    /// Pull referrals (ServiceRequest and Task) addressed to the clinic.
    public var referrals: Bool

    public init(referrals: Bool = false) {
        self.referrals = referrals
    }
}
