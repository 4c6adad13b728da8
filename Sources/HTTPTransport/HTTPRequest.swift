/// One HTTP request for ``HTTPTransport``.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// An absolute `http` or `https` URL.
    public var url: String
    public var headers: HTTPHeaders
    /// The request body (sent as is; the transfer keeps its own copy), or nil for none.
    public var body: [UInt8]?
    /// The total time allowed for this request (connect, send, receive); nil uses the transport's
    /// ``TransportConfiguration/requestTimeout``.
    public var timeout: Duration?

    public init(
        method: HTTPMethod = .get, url: String, headers: HTTPHeaders = [:], body: [UInt8]? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
