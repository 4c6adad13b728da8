import HTTPTransport

/// Why a FHIR interaction failed.
///
/// Messages name the interaction, the resource type, the path of the URL without its query
/// (search parameters can hold identifiers), statuses and codes; never resource content, tokens,
/// passwords or assertions. The server's `OperationOutcome` is kept in ``outcome``; its free text
/// is not copied into ``description``.
public struct FHIRClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No HTTP response (connection, TLS, timeout, dropped, cancelled): see ``transportKind``.
        case transport
        /// The server answered with a 4xx or 5xx status.
        case http
        /// Credentials were refused or could not be obtained (token endpoint errors, a 401 that
        /// new credentials did not cure).
        case auth
        /// A body could not be read or written as FHIR.
        case format
        /// The request cannot be made as asked (bad id, resource without a type, foreign `next` link).
        case invalidRequest = "invalid request"
    }

    public var kind: Kind
    public var message: String
    /// The HTTP status, when there was a response.
    public var status: Int?
    /// The `OperationOutcome` of an error response, when it had one.
    public var outcome: OperationOutcomeSummary?
    /// The server's `Retry-After`, when it sent one.
    public var retryAfter: Duration?
    /// The transport's reason, for ``Kind-swift.enum/transport`` (and auth failures below HTTP).
    public var transportKind: TransportError.Kind?
    /// The OAuth `error` code of a token endpoint refusal (`invalid_client`, `invalid_scope`...).
    public var oauthError: String?

    public init(
        _ kind: Kind, _ message: String, status: Int? = nil, outcome: OperationOutcomeSummary? = nil,
        retryAfter: Duration? = nil, transportKind: TransportError.Kind? = nil, oauthError: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.status = status
        self.outcome = outcome
        self.retryAfter = retryAfter
        self.transportKind = transportKind
        self.oauthError = oauthError
    }

    /// Statuses worth another try later: 408, 429, 500, 502, 503, 504.
    public static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    /// Whether the same request may succeed later: network failures (not TLS verification, not an
    /// invalid request, not a cancellation, not a response over the size cap) and the statuses of
    /// ``retryableStatuses`` (from the FHIR server or the token endpoint).
    public var isRetryable: Bool {
        if let transportKind {
            switch transportKind {
            case .connectFailed, .timeout, .connectionDropped: return true
            case .tls, .tooLarge, .cancelled, .invalidRequest, .protocolError, .other: return false
            }
        }
        guard let status, kind == .http || kind == .auth else { return false }
        return Self.retryableStatuses.contains(status)
    }

    public var description: String {
        var text = "\(kind.rawValue) error: \(message)"
        if let oauthError { text += " (OAuth error \(oauthError))" }
        if let outcome, !outcome.issues.isEmpty { text += " [" + outcome.codesDescription + "]" }
        if let retryAfter { text += " (retry after \(retryAfter.components.seconds) s)" }
        return text
    }

    /// An error for a transport failure during `context` (e.g. "GET Patient/123").
    init(transport error: TransportError, context: String) {
        self.init(.transport, "\(context): \(error.description)", transportKind: error.kind)
    }
}
