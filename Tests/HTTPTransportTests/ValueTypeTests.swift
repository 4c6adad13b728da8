import HTTPTransport
import Testing

@Suite("transport value types")
struct ValueTypeTests {
    @Test("headers: case-insensitive lookup, repeats kept in order, set replaces all")
    func headers() {
        var headers: HTTPHeaders = ["Accept": "application/fhir+json"]
        headers.add("Set-Cookie", "a")
        headers.add("set-cookie", "b")
        #expect(headers["ACCEPT"] == "application/fhir+json")
        #expect(headers.values(for: "Set-Cookie") == ["a", "b"])
        #expect(headers["X-Missing"] == nil)
        headers.set("SET-COOKIE", "c")
        #expect(headers.values(for: "set-cookie") == ["c"])
        #expect(headers.count == 2)
        headers.remove("accept")
        #expect(!headers.contains("Accept"))
    }

    @Test("errors and TLS settings print no secrets")
    func noSecrets() {
        let tls = TLSConfiguration(
            caFile: "/ca.pem",
            clientCertificate: .init(certificateFile: "/c.pem", keyFile: "/k.pem", keyPassword: "hunter2"))
        #expect(!tls.description.contains("hunter2"))
        #expect(tls.description.contains("redacted"))
        #expect(!String(describing: tls.clientCertificate).contains("hunter2"))
        let error = TransportError(.timeout, curlCode: 28, message: "Operation timed out after 800 milliseconds")
        #expect(error.description == "timeout: Operation timed out after 800 milliseconds (curl 28)")
    }
}
