import FHIRJSON
import FHIRModel
import HTTPTransport

/// The wire side of SMART Backend Services: the discovery document and the token request and
/// response (RFC 6749 section 4.4 with an RFC 7523 client assertion). Messages name endpoints by
/// path, statuses and OAuth error codes; never the assertion or the token.
enum SMARTTokenExchange {
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// Used when a token response has no usable `expires_in`.
    static let defaultLifetime: Int64 = 300

    struct Token: Sendable {
        var value: String
        /// Unix seconds when the token stops working (as computed from when it was asked for).
        var expiresAt: Int64
        var scope: String?
    }

    /// The `token_endpoint` of a `.well-known/smart-configuration` document.
    static func tokenEndpoint(fromDiscovery response: HTTPResponse, label: String) throws(FHIRClientError) -> String {
        guard response.status == 200 else {
            throw FHIRClientError(
                .auth, "\(label): HTTP \(response.status) instead of the SMART configuration", status: response.status)
        }
        let json: JSONValue
        do throws(FHIRFormatError) {
            json = try JSONValue.parse(response.body, limits: JSONLimits(maxDepth: 32, maxBytes: 1 << 20))
        } catch {
            throw FHIRClientError(.auth, "\(label): the SMART configuration is not JSON (\(error.issue.code.rawValue))")
        }
        guard let endpoint = json["token_endpoint"]?.stringValue else {
            throw FHIRClientError(.auth, "\(label): the SMART configuration has no token_endpoint")
        }
        try checkEndpoint(endpoint)
        return endpoint
    }

    /// A token endpoint must be https (http only on the loopback interface, for tests).
    static func checkEndpoint(_ endpoint: String) throws(FHIRClientError) {
        guard let parts = FHIRBaseURL.split(endpoint) else {
            throw FHIRClientError(.auth, "the token endpoint is not an absolute http(s) URL")
        }
        let loopback = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"].contains {
            parts.origin.hasPrefix($0)
        }
        guard parts.origin.hasPrefix("https://") || loopback else {
            throw FHIRClientError(.auth, "the token endpoint must use https")
        }
    }

    /// The form body of a token request.
    static func requestBody(scopes: String, assertion: String) -> [UInt8] {
        var fields: [(String, String)] = [("grant_type", "client_credentials")]
        if !scopes.isEmpty { fields.append(("scope", scopes)) }
        fields.append(("client_assertion_type", assertionType))
        fields.append(("client_assertion", assertion))
        return Array(FHIRQuery.string(fields).utf8)
    }

    /// The token of a token endpoint response asked for at `requestedAt`, or the error it stands for.
    static func token(from response: HTTPResponse, requestedAt: Int64, label: String) throws(FHIRClientError) -> Token {
        let json = try? JSONValue.parse(response.body, limits: JSONLimits(maxDepth: 32, maxBytes: 1 << 20))
        guard response.status == 200 else {
            let code = json?["error"]?.stringValue.flatMap(safeCode)
            var message = "\(label): the token endpoint answered HTTP \(response.status)"
            if let code { message += " (\(code))" }
            let retryAfter = response.headers["Retry-After"].flatMap {
                RetryPolicy.parseRetryAfter($0, now: requestedAt)
            }
            throw FHIRClientError(
                .auth, message, status: response.status, retryAfter: retryAfter, oauthError: code)
        }
        guard let json else { throw FHIRClientError(.auth, "\(label): the token response is not JSON") }
        guard let value = json["access_token"]?.stringValue, !value.isEmpty,
            !Credentials.hasControlCharacters(value)
        else {
            throw FHIRClientError(.auth, "\(label): the token response has no usable access_token")
        }
        let type = json["token_type"]?.stringValue?.lowercased()
        guard type == nil || type == "bearer" else {
            throw FHIRClientError(.auth, "\(label): the token type is not bearer")
        }
        var lifetime = defaultLifetime
        switch json["expires_in"] {
        case .number(let n)?:
            if let seconds = Int64(n.split(separator: ".").first ?? ""), seconds > 0 { lifetime = seconds }
        case .string(let s)?:
            if let seconds = Int64(s), seconds > 0 { lifetime = seconds }
        default: break
        }
        return Token(value: value, expiresAt: requestedAt + lifetime, scope: json["scope"]?.stringValue)
    }

    /// An OAuth error code (RFC 6749: printable ASCII without `"` and `\`), or nil for anything else.
    private static func safeCode(_ code: String) -> String? {
        let ok =
            (1...64).contains(code.utf8.count)
            && code.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x22 && $0 != 0x5C }
        return ok ? code : nil
    }
}
