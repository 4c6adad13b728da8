import FHIRJSON
import FHIRModel
import FHIRXML
import HTTPTransport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A FHIR R4 REST client over ``HTTPTransport`` (libcurl).
///
/// Every request carries `Accept` (and, with a body, `Content-Type`) with the FHIR MIME type of
/// ``format`` and the credentials of ``auth``. A 2xx response becomes an ``FHIRResponse`` with the
/// body parsed by content type; a 4xx or 5xx throws ``FHIRClientError`` (kind `.http`, or `.auth`
/// for a 401) with the status, the parsed `OperationOutcome` and `Retry-After`. After a 401 the
/// auth provider is asked to drop its token and, when it says new credentials may help, the
/// request is sent once more. Safe requests (GET, HEAD and POST `_search`) are retried on
/// retryable failures when a ``RetryPolicy`` is given; other requests never are (the caller, e.g.
/// the sync engine, decides with its own idempotency rules).
///
/// Errors never carry resource content, tokens or the query part of URLs.
public final class FHIRClient: Sendable {
    /// The FHIR base (as given, without a trailing slash).
    public let baseURL: String
    public let transport: HTTPTransport
    public let auth: any AuthProvider
    public let model: ModelInfo
    public let format: FHIRFormat
    public let retry: RetryPolicy?
    /// The parsed base, or why it is unusable (every request then fails with that error).
    let parsedBase: Result<FHIRBaseURL, FHIRClientError>
    let jsonReader: FHIRJSONReader
    let xmlReader: FHIRXMLReader
    let jsonWriter: FHIRJSONWriter
    let xmlWriter: FHIRXMLWriter

    public init(
        baseURL: String, transport: HTTPTransport, auth: any AuthProvider = NoAuth(), model: ModelInfo,
        format: FHIRFormat = .json, retry: RetryPolicy? = nil
    ) {
        let parsed = Result { () throws(FHIRClientError) in try FHIRBaseURL(baseURL) }
        self.baseURL = (try? parsed.get())?.url ?? baseURL
        self.transport = transport
        self.auth = auth
        self.model = model
        self.format = format
        self.retry = retry
        parsedBase = parsed
        jsonReader = FHIRJSONReader(model: model)
        xmlReader = FHIRXMLReader(model: model)
        jsonWriter = FHIRJSONWriter(model: model)
        xmlWriter = FHIRXMLWriter(model: model, xmlDeclaration: false)
    }

    /// The parsed base URL (origin, path), or why it is unusable.
    public var base: FHIRBaseURL {
        get throws(FHIRClientError) { try parsedBase.get() }
    }

    /// Sends already-serialised bytes (in this client's ``format``) with the FHIR headers and the
    /// credentials; `path` is relative to the base (`Patient/123`, `Patient?identifier=...`) or an
    /// absolute URL on the base's origin. Headers given here replace the defaults of the same name.
    /// The query of a relative path is made URL-safe (``FHIRQuery/sanitize(_:)``: `|`, spaces and
    /// other characters a URL cannot hold are percent-encoded; `&`, `=` and `%XX` are kept).
    /// GET and HEAD are retried under the client's ``RetryPolicy``.
    public func send(_ method: HTTPMethod, _ path: String, body: [UInt8]?, headers: HTTPHeaders = [:])
        async throws(FHIRClientError) -> FHIRResponse
    {
        var path = path
        if !FHIRBaseURL.isAbsolute(path), let mark = path.firstIndex(of: "?") {
            path = String(path[...mark]) + FHIRQuery.sanitize(String(path[path.index(after: mark)...]))
        }
        let url = try parsedBase.get().resolve(path)
        return try await perform(
            method, url: url, body: body, headers: headers, safe: method == .get || method == .head)
    }

    /// Sends with retries when `safe` and a policy is set.
    func perform(_ method: HTTPMethod, url: String, body: [UInt8]?, headers: HTTPHeaders, safe: Bool)
        async throws(FHIRClientError) -> FHIRResponse
    {
        let label = "\(method.rawValue) \(try parsedBase.get().displayPath(url))"
        var attempt = 1
        while true {
            do throws(FHIRClientError) {
                return try await exchange(method, url: url, body: body, headers: headers, label: label)
            } catch {
                guard safe, let retry, error.isRetryable, retry.allowsRetry(afterAttempt: attempt) else { throw error }
                let wait = retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    throw FHIRClientError(
                        .transport, "\(label): cancelled while waiting to retry", transportKind: .cancelled)
                }
                attempt += 1
            }
        }
    }

    /// One request (and its single re-send after a 401 when the auth provider renewed).
    private func exchange(_ method: HTTPMethod, url: String, body: [UInt8]?, headers: HTTPHeaders, label: String)
        async throws(FHIRClientError) -> FHIRResponse
    {
        var request = HTTPRequest(method: method, url: url, body: body)
        request.headers.set("Accept", format.headerValue)
        if body != nil { request.headers.set("Content-Type", format.headerValue) }
        for field in headers { request.headers.set(field.name, field.value) }
        var renewed = false
        while true {
            var attempt = request
            try await auth.authorize(&attempt)
            let response: HTTPResponse
            do throws(TransportError) {
                response = try await transport.send(attempt)
            } catch {
                throw FHIRClientError(transport: error, context: label)
            }
            if response.status == 401, !renewed, await auth.invalidate() {
                renewed = true
                continue
            }
            return try makeResponse(response, label: label)
        }
    }

    /// The response for a 2xx or 304, else the error it stands for.
    func makeResponse(_ response: HTTPResponse, label: String) throws(FHIRClientError) -> FHIRResponse {
        let status = response.status
        let success = (200..<300).contains(status) || status == 304
        let parsed: ParsedBody
        do throws(FHIRClientError) {
            parsed = try parseBody(response.body, contentType: response.headers["Content-Type"], label: label)
        } catch {
            if success { throw error }
            parsed = ParsedBody(format: nil, resource: nil, issues: [])
        }
        let result = FHIRResponse(
            status: status, headers: response.headers, body: response.body, format: parsed.format,
            resource: parsed.resource, readIssues: parsed.issues)
        if success { return result }
        let retryAfter = response.headers["Retry-After"].flatMap {
            RetryPolicy.parseRetryAfter($0, now: Int64(time(nil)))
        }
        let kind: FHIRClientError.Kind = status == 401 ? .auth : .http
        var message = "HTTP \(status) on \(label)"
        if status == 401 { message += ": the credentials were refused" }
        if (300..<400).contains(status) { message += ": redirects are not followed" }
        throw FHIRClientError(kind, message, status: status, outcome: result.outcome, retryAfter: retryAfter)
    }
}
