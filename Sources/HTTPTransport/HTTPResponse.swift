/// The HTTP version a response came over.
public enum HTTPVersion: String, Sendable {
    case http10 = "HTTP/1.0"
    case http11 = "HTTP/1.1"
    case http2 = "HTTP/2"
    case http3 = "HTTP/3"
    case unknown = "HTTP/?"
}

/// Where the time of one transfer went, each measured from its start.
public struct HTTPTiming: Sendable, Equatable {
    public var nameLookup: Duration = .zero
    public var connect: Duration = .zero
    /// The TLS handshake done (zero for plain HTTP or a reused connection).
    public var tlsHandshake: Duration = .zero
    public var firstByte: Duration = .zero
    public var total: Duration = .zero

    public init() {}
}

/// A complete HTTP response (any status: 4xx and 5xx are responses, not errors).
public struct HTTPResponse: Sendable {
    public var status: Int
    /// The headers of the final response (earlier blocks, such as a `100 Continue`, are dropped).
    public var headers: HTTPHeaders
    /// The body, decoded from any `Content-Encoding` (gzip, deflate, ...).
    public var body: [UInt8]
    /// The URL the response came from.
    public var effectiveURL: String
    public var version: HTTPVersion
    public var timing: HTTPTiming
    /// How many new connections this request opened (0 when it reused one).
    public var newConnections: Int

    public init(
        status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], effectiveURL: String = "",
        version: HTTPVersion = .http11, timing: HTTPTiming = HTTPTiming(), newConnections: Int = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.version = version
        self.timing = timing
        self.newConnections = newConnections
    }

    /// The body as UTF-8 text (invalid sequences repaired).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
