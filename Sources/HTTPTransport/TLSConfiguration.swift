/// TLS settings of a transport. Peer and host verification are always on (TLS 1.2 or newer);
/// there is deliberately no way to turn them off.
public struct TLSConfiguration: Sendable, CustomStringConvertible {
    /// A client certificate for mutual TLS.
    public struct ClientCertificate: Sendable, CustomStringConvertible {
        /// The certificate (PEM), possibly followed by its chain.
        public var certificateFile: String
        /// The private key (PEM).
        public var keyFile: String
        /// The key's passphrase, if it is encrypted. Never printed or logged.
        public var keyPassword: String?

        public init(certificateFile: String, keyFile: String, keyPassword: String? = nil) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.keyPassword = keyPassword
        }

        public var description: String {
            "certificate \(certificateFile), key \(keyFile)" + (keyPassword == nil ? "" : ", key password (redacted)")
        }
    }

    /// A PEM file of the certificate authorities to trust instead of the system's; nil for the
    /// system's default bundle.
    public var caFile: String?
    public var clientCertificate: ClientCertificate?
    /// Public-key pins: `sha256//BASE64` (SHA-256 of the DER SubjectPublicKeyInfo), any of which the
    /// server's key must match, on top of normal verification. Empty for no pinning.
    public var pinnedPublicKeys: [String]

    public init(caFile: String? = nil, clientCertificate: ClientCertificate? = nil, pinnedPublicKeys: [String] = []) {
        self.caFile = caFile
        self.clientCertificate = clientCertificate
        self.pinnedPublicKeys = pinnedPublicKeys
    }

    /// The value of `CURLOPT_PINNEDPUBLICKEY`, or nil.
    var pinnedPublicKeyOption: String? {
        pinnedPublicKeys.isEmpty ? nil : pinnedPublicKeys.joined(separator: ";")
    }

    public var description: String {
        var parts = ["CA " + (caFile ?? "system default")]
        if let clientCertificate { parts.append("client " + clientCertificate.description) }
        if !pinnedPublicKeys.isEmpty { parts.append("\(pinnedPublicKeys.count) pinned key(s)") }
        return parts.joined(separator: "; ")
    }
}

/// How an ``HTTPTransport`` behaves.
///
/// Proxies: unless ``proxy`` is set, libcurl takes the proxy from the usual environment variables
/// (`http_proxy`, `https_proxy`/`HTTPS_PROXY`, `all_proxy`/`ALL_PROXY`, and `no_proxy`/`NO_PROXY`
/// for exceptions); `HTTP_PROXY` in upper case is ignored on purpose (CGI "httpoxy").
public struct TransportConfiguration: Sendable {
    public var tls: TLSConfiguration
    /// Time allowed to connect (TCP and TLS handshake).
    public var connectTimeout: Duration
    /// Total time allowed per request unless the request sets its own.
    public var requestTimeout: Duration
    /// The largest response body accepted; a larger one fails with ``TransportError/Kind/tooLarge``.
    public var maxResponseBytes: Int
    /// At most this many connections to one host (HTTP/2 multiplexes requests over them).
    public var maxConnectionsPerHost: Int
    /// An explicit proxy URL; nil uses the environment (see above), "" disables proxies.
    public var proxy: String?
    /// Sent as `User-Agent` unless the request has one.
    public var userAgent: String

    public init(
        tls: TLSConfiguration = TLSConfiguration(), connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(60), maxResponseBytes: Int = 256 << 20, maxConnectionsPerHost: Int = 8,
        proxy: String? = nil, userAgent: String = "fhirgate"
    ) {
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.proxy = proxy
        self.userAgent = userAgent
    }
}
