/// The base URL of a FHIR server and the URLs of requests to it: joining paths, percent-encoding
/// search parameters, checking that absolute URLs (such as `next` links) stay on the base's origin
/// so that credentials are never sent elsewhere, and the form of a URL that messages may show (its
/// path without the query: search parameters can hold identifiers).
public struct FHIRBaseURL: Sendable, Equatable, CustomStringConvertible {
    /// The base without a trailing slash (`https://ehr.example/fhir`).
    public let url: String
    /// `scheme://host:port` in lower case, with the default port written out.
    public let origin: String
    /// The path of the base (`/fhir`, or "" for a server at the root).
    public let path: String

    /// Parses an absolute `http` or `https` base URL without query, fragment or user information.
    public init(_ text: String) throws(FHIRClientError) {
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let parts = Self.split(String(trimmed)), !trimmed.contains("?"), !trimmed.contains("#") else {
            throw FHIRClientError(.invalidRequest, "the FHIR base must be an absolute http(s) URL without a query")
        }
        url = String(trimmed)
        origin = parts.origin
        path = parts.path
    }

    public var description: String { url }

    /// The absolute URL of `path`: a path relative to the base (`Patient/123`, `Patient?name=x`,
    /// `metadata`; "" for the base itself), or an absolute URL on the base's origin.
    public func resolve(_ path: String) throws(FHIRClientError) -> String {
        if Self.isAbsolute(path) {
            guard let parts = Self.split(path), parts.origin == origin else {
                throw FHIRClientError(
                    .invalidRequest, "refusing a URL on another origin than the FHIR base \(origin)")
            }
            return path
        }
        let pathPart = path.prefix { $0 != "?" && $0 != "#" }
        guard !pathPart.contains("://"), !path.hasPrefix("//") else {
            throw FHIRClientError(.invalidRequest, "the request path is neither relative nor an http(s) URL")
        }
        var relative = Substring(path)
        while relative.hasPrefix("/") { relative = relative.dropFirst() }
        if relative.isEmpty { return url }
        if relative.hasPrefix("?") { return url + relative }
        return url + "/" + relative
    }

    /// What messages may show of `url`: relative to the base when under it (`Patient/123`), else the
    /// path; never the query or fragment.
    public func displayPath(_ url: String) -> String {
        var text = Substring(url)
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<cut] }
        if text.hasPrefix(self.url) {
            let rest = text.dropFirst(self.url.count)
            if rest.isEmpty { return "[base]" }
            if rest.hasPrefix("/") { return String(rest.dropFirst()) }
        }
        if let parts = Self.split(String(text)) { return parts.path.isEmpty ? "/" : parts.path }
        return String(text)
    }

    /// Whether `path` is an absolute http(s) URL (else it is relative to the base).
    public static func isAbsolute(_ path: String) -> Bool {
        let lower = path.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// Whether `url` (absolute) is on the base's origin.
    public func isSameOrigin(_ url: String) -> Bool {
        Self.split(url)?.origin == origin
    }

    /// `(origin, path)` of an absolute http(s) URL, or nil (other schemes, user information, no host).
    static func split(_ text: String) -> (origin: String, path: String)? {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") {
            scheme = "https"
        } else if lower.hasPrefix("http://") {
            scheme = "http"
        } else {
            return nil
        }
        let afterScheme = text.dropFirst(scheme.count + 3)
        let authorityEnd =
            afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd].lowercased()
        guard !authority.isEmpty, !authority.contains("@"),
            !authority.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F })
        else { return nil }
        var host = authority
        var port = scheme == "https" ? "443" : "80"
        // The port follows the last ':' unless that is inside an IPv6 literal.
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = String(authority[..<colon])
            let digits = authority[authority.index(after: colon)...]
            guard digits.isEmpty || digits.allSatisfy(\.isASCII) && Int(digits) != nil else { return nil }
            if !digits.isEmpty { port = String(Int(digits) ?? 0) }
        }
        guard !host.isEmpty else { return nil }
        var path = afterScheme[authorityEnd...]
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        return ("\(scheme)://\(host):\(port)", String(path))
    }
}

/// Percent-encoding for URLs and `application/x-www-form-urlencoded` bodies.
public enum FHIRQuery {
    /// `name=value&name=value` with each name and value percent-encoded (UTF-8). Characters FHIR
    /// search values use (`,` `:` `/` `$` `@`) stay readable; `|`, `&`, `=`, `+`, `#`, `%` and
    /// spaces are encoded.
    public static func string(_ parameters: [(String, String)]) -> String {
        parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    /// One name or value, percent-encoded.
    public static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isKept(byte) {
                out.append(byte)
            } else {
                out.append(0x25)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A query given whole (`identifier=http://x|123&_count=1`): characters that may not appear in a
    /// URL are percent-encoded, while `&`, `=` and existing `%XX` escapes are kept.
    public static func sanitize(_ query: String) -> String {
        let bytes = Array(query.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x25, i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) {
                out += bytes[i...(i + 2)]
                i += 3
                continue
            }
            if isKept(byte) || byte == 0x26 || byte == 0x3D {
                out.append(byte)
            } else {
                out.append(0x25)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    private static func isKept(_ b: UInt8) -> Bool {
        switch b {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: return true  // letters, digits
        case 0x2D, 0x2E, 0x5F, 0x7E: return true  // - . _ ~
        case 0x2C, 0x3A, 0x2F, 0x24, 0x40, 0x21, 0x2A, 0x28, 0x29, 0x27: return true  // , : / $ @ ! * ( ) '
        default: return false
        }
    }

    private static func isHex(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b)
    }
}
