/// Why a request got no HTTP response. Carries libcurl's code and message, never request bodies,
/// header values or secrets.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The host could not be resolved or no connection could be made (includes proxies).
        case connectFailed = "connect failed"
        /// The TLS handshake failed: peer or host verification, a pin mismatch, a bad CA file,
        /// a rejected or unreadable client certificate.
        case tls = "TLS failure"
        /// The connect or total timeout passed.
        case timeout
        /// The connection broke or closed before the response was complete.
        case connectionDropped = "connection dropped"
        /// The response body exceeds the configured maximum.
        case tooLarge = "response too large"
        /// The caller's task was cancelled, or the transport shut down.
        case cancelled
        /// The request cannot be sent as given (malformed URL, unsupported scheme).
        case invalidRequest = "invalid request"
        /// The server's answer broke the protocol (bad content encoding, bad HTTP/2 frames).
        case protocolError = "protocol error"
        /// Anything else libcurl reports.
        case other
    }

    public let kind: Kind
    /// libcurl's `CURLcode`, when the failure came from libcurl.
    public let curlCode: Int?
    public let message: String

    public init(_ kind: Kind, curlCode: Int? = nil, message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }

    public var description: String {
        let code = curlCode.map { " (curl \($0))" } ?? ""
        return "\(kind.rawValue): \(message)\(code)"
    }

    static let shutDown = TransportError(.cancelled, message: "the transport was shut down")
    static let taskCancelled = TransportError(.cancelled, message: "the request was cancelled")
}
