import Foundation
import HTTPTransport

/// Puts credentials on the requests of an ``FHIRClient``.
public protocol AuthProvider: Sendable {
    /// Adds credentials to the request (`Authorization` header...).
    func authorize(_ request: inout HTTPRequest) async throws(FHIRClientError)
    /// Called after a 401: drop any cached token. Returns true when a retry with new credentials may succeed.
    func invalidate() async -> Bool
}

/// No credentials (open servers, or mutual TLS configured on the transport).
public struct NoAuth: AuthProvider, CustomStringConvertible {
    public init() {}

    public func authorize(_ request: inout HTTPRequest) async throws(FHIRClientError) {}

    public func invalidate() async -> Bool { false }

    public var description: String { "no authentication" }
}

/// A static bearer token (`Authorization: Bearer ...`). The token is never printed: `description`,
/// `debugDescription` and the mirror redact it.
public struct BearerTokenAuth: AuthProvider, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let token: String

    public init(token: String) {
        self.token = token
    }

    public func authorize(_ request: inout HTTPRequest) async throws(FHIRClientError) {
        guard !token.isEmpty, !Credentials.hasControlCharacters(token) else {
            throw FHIRClientError(.auth, "the bearer token is empty or contains control characters")
        }
        request.headers.set("Authorization", "Bearer " + token)
    }

    /// A static token does not change: retrying cannot help.
    public func invalidate() async -> Bool { false }

    public var description: String { "bearer token (redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// HTTP Basic authentication (`Authorization: Basic base64(user:password)`). The password is never
/// printed.
public struct BasicAuth: AuthProvider, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let username: String
    private let password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    public func authorize(_ request: inout HTTPRequest) async throws(FHIRClientError) {
        guard !username.contains(":"), !Credentials.hasControlCharacters(username + password) else {
            throw FHIRClientError(.auth, "the basic auth user name contains ':' or control characters")
        }
        let encoded = Data((username + ":" + password).utf8).base64EncodedString()
        request.headers.set("Authorization", "Basic " + encoded)
    }

    public func invalidate() async -> Bool { false }

    public var description: String { "basic auth as \(username) (password redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["username": username], displayStyle: .struct) }
}

enum Credentials {
    /// Whether `text` holds a control character (CR/LF would split a header).
    static func hasControlCharacters(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }
}
