import FHIRAuth
import HTTPTransport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SMART Backend Services (https://hl7.org/fhir/smart-app-launch/backend-services.html): a
/// `client_credentials` grant authenticated by a `private_key_jwt` client assertion (RS384 or
/// ES384, signed by our ``SigningKey``), with the access token cached and shared.
///
/// - The token endpoint is discovered once from `<base>/.well-known/smart-configuration` unless given.
/// - The token is reused until fewer than ``renewBefore`` remain of its `expires_in` (300 s when
///   the server gives none), counted from when it was asked for.
/// - Concurrent callers share one token request (single flight).
/// - Token endpoint refusals throw ``FHIRClientError`` of kind `.auth` with the status and the OAuth
///   `error` code (never the assertion or the token); 5xx and network failures are retryable.
public actor SMARTBackendAuth: AuthProvider, CustomStringConvertible {
    public nonisolated let fhirBaseURL: String
    public nonisolated let clientID: String
    /// The scopes asked for (space-separated).
    public nonisolated let scopes: String
    public nonisolated let renewBefore: Duration
    private let key: SigningKey
    private let transport: HTTPTransport
    private let now: @Sendable () -> Int64
    private var endpoint: String?
    private var cached: SMARTTokenExchange.Token?
    private var inFlight: Task<Result<SMARTTokenExchange.Token, FHIRClientError>, Never>?

    /// How many token requests were sent (discovery not counted).
    public private(set) var tokenRequestCount = 0
    /// The scopes of the last token (the response's `scope`, else those asked for).
    public private(set) var grantedScopes: SMARTScopes?

    public init(
        fhirBaseURL: String, clientID: String, key: SigningKey, scopes: String, transport: HTTPTransport,
        tokenEndpoint: String? = nil, renewBefore: Duration = .seconds(60),
        now: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }
    ) {
        var base = Substring(fhirBaseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        self.fhirBaseURL = String(base)
        self.clientID = clientID
        self.key = key
        self.scopes = scopes
        self.transport = transport
        self.endpoint = tokenEndpoint
        self.renewBefore = renewBefore
        self.now = now
    }

    public nonisolated var description: String {
        "SMART Backend Services as client \(clientID) (\(key.algorithm.rawValue) key \(key.keyID))"
    }

    /// The token endpoint used (after discovery), or nil before the first token.
    public var tokenEndpoint: String? { endpoint }

    public nonisolated func authorize(_ request: inout HTTPRequest) async throws(FHIRClientError) {
        let token = try await accessToken()
        request.headers.set("Authorization", "Bearer " + token)
    }

    /// Drops the cached token: the next request asks for a new one.
    public func invalidate() async -> Bool {
        cached = nil
        return true
    }

    /// A valid access token: the cached one while it has more than ``renewBefore`` left, else a new
    /// one (shared with every caller waiting meanwhile).
    public func accessToken() async throws(FHIRClientError) -> String {
        if let cached, Duration.seconds(cached.expiresAt - now()) >= renewBefore { return cached.value }
        let task: Task<Result<SMARTTokenExchange.Token, FHIRClientError>, Never>
        if let inFlight {
            task = inFlight
        } else {
            task = Task { await self.fetchToken() }
            inFlight = task
        }
        return try await task.value.get().value
    }

    /// Discovery (when needed) and one token request; records the result and clears `inFlight`.
    private func fetchToken() async -> Result<SMARTTokenExchange.Token, FHIRClientError> {
        defer { inFlight = nil }
        do throws(FHIRClientError) {
            let endpoint = try await resolveEndpoint()
            let label = "token request to " + (FHIRBaseURL.split(endpoint)?.path ?? "the token endpoint")
            let requestedAt = now()
            let assertion: String
            do throws(AuthError) {
                // 4 minutes, not SMART's maximum of 5: a server whose clock is a little behind ours
                // would refuse an `exp` more than 5 minutes ahead of its own time.
                assertion = try ClientAssertion(clientID: clientID, tokenEndpoint: endpoint, lifetime: 240)
                    .signed(with: key, now: requestedAt)
            } catch {
                throw FHIRClientError(.auth, "cannot make the client assertion: \(error.description)")
            }
            let request = HTTPRequest(
                method: .post, url: endpoint,
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
                body: SMARTTokenExchange.requestBody(scopes: scopes, assertion: assertion))
            tokenRequestCount += 1
            let response: HTTPResponse
            do throws(TransportError) {
                response = try await transport.send(request)
            } catch {
                throw FHIRClientError(.auth, "\(label): \(error.description)", transportKind: error.kind)
            }
            let token = try SMARTTokenExchange.token(from: response, requestedAt: requestedAt, label: label)
            cached = token
            grantedScopes = SMARTScopes(token.scope ?? scopes)
            return .success(token)
        } catch {
            return .failure(error)
        }
    }

    private func resolveEndpoint() async throws(FHIRClientError) -> String {
        if let endpoint {
            try SMARTTokenExchange.checkEndpoint(endpoint)
            return endpoint
        }
        let url = fhirBaseURL + "/.well-known/smart-configuration"
        let label = "SMART discovery at " + (FHIRBaseURL.split(url)?.path ?? "the FHIR base")
        let response: HTTPResponse
        do throws(TransportError) {
            response = try await transport.send(HTTPRequest(url: url, headers: ["Accept": "application/json"]))
        } catch {
            throw FHIRClientError(.auth, "\(label): \(error.description)", transportKind: error.kind)
        }
        let found = try SMARTTokenExchange.tokenEndpoint(fromDiscovery: response, label: label)
        endpoint = found
        return found
    }
}
