import FHIRJSON
import Foundation

/// HTTPS requests with the `curl` command line, trusting one CA file (peer and host verification
/// stay on). A stand-in for the libcurl transport in tests until that exists.
public enum ReferenceEHRCurl {
    public struct Response: Sendable {
        /// The HTTP status (0 when no response arrived).
        public let status: Int
        /// Header names in lower case, from the final response.
        public let headers: [String: String]
        public let body: [UInt8]
        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed as a JSON object, or nil.
        /// The body as a JSON value (FHIRJSON's parser: no Foundation JSON on FHIR data).
        public var json: JSONValue? {
            try? JSONValue.parse(body)
        }
    }

    /// Sends one request. `form` sends `application/x-www-form-urlencoded` fields (curl encodes them);
    /// `body` sends raw bytes. Throws when curl fails below HTTP (connection, TLS verification).
    public static func send(
        _ url: String, method: String = "GET", caFile: String,
        clientCertificate: (certificate: String, key: String)? = nil, headers: [String: String] = [:],
        body: [UInt8]? = nil, form: [(String, String)] = [], timeout: Int = 30
    ) throws -> Response {
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-curl")
        defer { TestSupport.removeTree(dir) }
        var args = [
            "--silent", "--show-error", "--max-time", String(timeout), "--cacert", caFile, "--request", method,
            "--output", dir + "/body", "--dump-header", dir + "/headers", "--write-out", "%{http_code}",
        ]
        if let clientCertificate { args += ["--cert", clientCertificate.certificate, "--key", clientCertificate.key] }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { args += ["--header", "\(name): \(value)"] }
        if let body {
            try Data(body).write(to: URL(fileURLWithPath: dir + "/request"))
            args += ["--data-binary", "@" + dir + "/request"]
        }
        for (name, value) in form { args += ["--data-urlencode", "\(name)=\(value)"] }
        args.append(url)
        let output = try ReferenceEHRCommand.run("curl", args)
        guard output.status == 0 else {
            throw ReferenceEHRCommand.Failure("curl \(method) \(url) failed (\(output.status)): \(output.stderr)")
        }
        let bodyBytes = (try? Data(contentsOf: URL(fileURLWithPath: dir + "/body"))).map { [UInt8]($0) } ?? []
        let headerText = (try? String(contentsOfFile: dir + "/headers", encoding: .utf8)) ?? ""
        return Response(
            status: Int(output.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0,
            headers: parseHeaders(headerText), body: bodyBytes)
    }

    /// The headers of the last response in a `--dump-header` file (which lists each response of a
    /// request, e.g. after a `100 Continue`).
    static func parseHeaders(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            if line.hasPrefix("HTTP/") {
                headers = [:]
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return headers
    }
}
