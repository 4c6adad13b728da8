import FHIRModel

/// The parts of a literal reference (`Reference.reference`, `Bundle.entry.fullUrl`, a link URL),
/// read without looking anything up.
struct ReferenceSyntax: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `#id` (`id` empty for `#`, the container).
        case local(id: String)
        /// `Type/id` or `Type/id/_history/vid`.
        case relative
        /// `Type?search` (a conditional reference, meaningful in transactions).
        case conditional
        /// A relative reference that fits none of the forms above.
        case malformedRelative
        /// `urn:uuid:...` or `urn:oid:...`.
        case urn
        /// Any other URL with a scheme (`http:`, `https:`, other `urn:`s).
        case absolute
    }

    var kind: Kind
    /// The resource type the text names (`Type/id`, `.../Type/id`, `Type?...`); not checked
    /// against the model here.
    var type: String?
    var id: String?
    /// The version of a `/_history/` reference.
    var version: String?
    /// The reference without its `/_history/vid` part (for lookups by fullUrl).
    var versionless: String

    /// Parses over UTF-8 bytes: the delimiters (`/ ? # :`) are ASCII, so splitting there never
    /// cuts a multi-byte character.
    init(_ text: String) {
        versionless = text
        let bytes = text.utf8
        func pieces(_ sub: Substring.UTF8View) -> [String] {
            sub.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map {
                String(Substring($0))
            }
        }
        if bytes.first == UInt8(ascii: "#") {
            kind = .local(id: String(text.dropFirst()))
            return
        }
        if let scheme = Self.scheme(of: text) {
            let lower = scheme.lowercased()
            kind =
                lower == "urn"
                    && (Self.hasPrefixIgnoringCase(text, "urn:uuid:") || Self.hasPrefixIgnoringCase(text, "urn:oid:"))
                ? .urn : .absolute
            if kind == .absolute {
                let end = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
                let path = Substring(text)[..<end]
                let segments = path.isEmpty ? [text] : pieces(path.utf8)
                let parsed = Self.typeIDVersion(segments)
                type = parsed.type
                id = parsed.id
                version = parsed.version
                if parsed.version != nil {
                    versionless = segments.dropLast(2).joined(separator: "/")
                }
            }
            return
        }
        if let q = bytes.firstIndex(of: UInt8(ascii: "?")) {
            kind = .conditional
            type = String(text[..<q])
            return
        }
        let segments = pieces(Substring(text).utf8)
        if segments.count == 2 {
            kind = .relative
            type = segments[0]
            id = segments[1]
        } else if segments.count == 4 && segments[2] == "_history" {
            kind = .relative
            type = segments[0]
            id = segments[1]
            version = segments[3]
            versionless = segments[0] + "/" + segments[1]
        } else {
            kind = .malformedRelative
            let parsed = Self.typeIDVersion(segments)
            type = parsed.type
            id = parsed.id
        }
    }

    /// The last `Type/id` of a path, skipping a trailing `/_history/vid`.
    private static func typeIDVersion(_ segments: [String]) -> (type: String?, id: String?, version: String?) {
        let n = segments.count
        if n >= 4 && segments[n - 2] == "_history" {
            return (segments[n - 4], segments[n - 3], segments[n - 1])
        }
        if n >= 2 { return (segments[n - 2], segments[n - 1], nil) }
        return (nil, nil, nil)
    }

    /// The URL scheme (`http`, `urn`), or nil for a relative reference.
    static func scheme(of text: String) -> Substring? {
        guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let scheme = text[..<colon]
        guard let first = scheme.utf8.first,
            (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A)
        else { return nil }
        for c in scheme.utf8 {
            let ok =
                (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2B
                || c == 0x2D || c == 0x2E
            if !ok { return nil }
        }
        return scheme
    }

    /// Whether the text is an absolute URL (it has a scheme).
    static func isAbsolute(_ text: String) -> Bool { scheme(of: text) != nil }

    static func hasPrefixIgnoringCase(_ text: String, _ prefix: String) -> Bool {
        text.utf8.count >= prefix.utf8.count && text.prefix(prefix.count).lowercased() == prefix
    }

    /// A FHIR id: 1 to 64 of `A-Z a-z 0-9 - .`.
    static func isValidID(_ id: String) -> Bool {
        let bytes = id.utf8
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E
        }
    }

    /// `urn:uuid:` followed by 8-4-4-4-12 hex digits.
    static func isValidUUIDURN(_ text: String) -> Bool {
        guard hasPrefixIgnoringCase(text, "urn:uuid:") else { return false }
        let uuid = Array(text.utf8.dropFirst(9))
        guard uuid.count == 36 else { return false }
        for (i, b) in uuid.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if b != 0x2D { return false }
            } else if !((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)) {
                return false
            }
        }
        return true
    }

    /// `urn:oid:` followed by an OID (`[0-2](\.(0|[1-9][0-9]*))+`).
    static func isValidOIDURN(_ text: String) -> Bool {
        guard hasPrefixIgnoringCase(text, "urn:oid:") else { return false }
        let arcs = text.dropFirst(8).split(separator: ".", omittingEmptySubsequences: false)
        guard arcs.count >= 2, let first = arcs.first, first.count == 1, let d = first.first, "012".contains(d)
        else { return false }
        for arc in arcs.dropFirst() {
            guard !arc.isEmpty, arc.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            if arc.count > 1 && arc.first == "0" { return false }
        }
        return true
    }

    /// Whether `text` is a RESTful URL, `http(s)://.../Type/id` (optionally `/_history/vid`), with a
    /// known resource type and a valid id; returns the type and id.
    static func restfulTypeAndID(_ text: String, isResourceType: (String) -> Bool) -> (type: String, id: String)? {
        guard hasPrefixIgnoringCase(text, "http://") || hasPrefixIgnoringCase(text, "https://") else { return nil }
        guard !text.contains("?"), !text.contains("#") else { return nil }
        let syntax = ReferenceSyntax(text)
        guard let type = syntax.type, let id = syntax.id, isResourceType(type), isValidID(id) else { return nil }
        if let v = syntax.version, !isValidID(v) { return nil }
        return (type, id)
    }
}
