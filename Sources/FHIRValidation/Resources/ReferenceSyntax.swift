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
    /// cuts a multi-byte character. One pass finds the delimiters; only the parts kept become
    /// strings.
    init(_ text: String) {
        versionless = text
        if text.utf8.first == UInt8(ascii: "#") {
            kind = .local(id: String(text.dropFirst()))
            return
        }
        var copy = text
        let marks = copy.withUTF8 { Marks($0) }
        if marks.hasScheme {
            let isURN = marks.colon == 3 && copy.withUTF8 { Self.isURNScheme($0) }
            kind =
                isURN && (Self.hasPrefixIgnoringCase(text, "urn:uuid:") || Self.hasPrefixIgnoringCase(text, "urn:oid:"))
                ? .urn : .absolute
            guard kind == .absolute else { return }
            // The path ends at the first `?` or `#`; only its last four segments can matter
            // (`Type/id/_history/vid`).
            let end = min(marks.question ?? marks.count, marks.hash ?? marks.count)
            guard end > 0 else { return }
            copy.withUTF8 { bytes in
                let last = Segments(bytes, end: end)
                let n = last.count
                if n >= 4 && Self.equals(bytes, last[n - 2], "_history") {
                    type = Self.string(bytes, last[n - 4])
                    id = Self.string(bytes, last[n - 3])
                    version = Self.string(bytes, last[n - 1])
                    // Everything before `/_history/vid`.
                    versionless = Self.string(bytes, 0..<(last[n - 2].lowerBound - 1))
                } else if n >= 2 {
                    type = Self.string(bytes, last[n - 2])
                    id = Self.string(bytes, last[n - 1])
                }
            }
            return
        }
        if let q = marks.question {
            kind = .conditional
            type = copy.withUTF8 { Self.string($0, 0..<q) }
            return
        }
        // `Type/id`, `Type/id/_history/vid`, or something else (the last `Type/id` of it is kept).
        let total = marks.slashCount
        kind = .malformedRelative
        copy.withUTF8 { bytes in
            let last = Segments(bytes, end: bytes.count)
            let n = last.count
            if total == 1 {
                kind = .relative
                type = Self.string(bytes, last[0])
                id = Self.string(bytes, last[1])
            } else if total == 3 && Self.equals(bytes, last[2], "_history") {
                kind = .relative
                type = Self.string(bytes, last[0])
                id = Self.string(bytes, last[1])
                version = Self.string(bytes, last[3])
                versionless = Self.string(bytes, 0..<(last[2].lowerBound - 1))
            } else if n >= 4 && Self.equals(bytes, last[n - 2], "_history") {
                type = Self.string(bytes, last[n - 4])
                id = Self.string(bytes, last[n - 3])
            } else if n >= 2 {
                type = Self.string(bytes, last[n - 2])
                id = Self.string(bytes, last[n - 1])
            }
        }
    }

    /// Where the delimiters of a reference are, by byte offset.
    private struct Marks {
        var count: Int
        var colon: Int?
        var question: Int?
        var hash: Int?
        /// How many `/` there are.
        var slashCount = 0
        /// Whether the text before the first `:` is a URL scheme (as ``ReferenceSyntax/scheme(of:)``).
        var hasScheme = false

        init(_ b: UnsafeBufferPointer<UInt8>) {
            count = b.count
            for i in 0..<b.count {
                switch b[i] {
                case UInt8(ascii: ":"): if colon == nil { colon = i }
                case UInt8(ascii: "?"): if question == nil { question = i }
                case UInt8(ascii: "#"): if hash == nil { hash = i }
                case UInt8(ascii: "/"): slashCount += 1
                default: break
                }
            }
            guard let colon, colon > 0 else { return }
            let first = b[0]
            var ok = (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A)
            var i = 1
            while ok && i < colon {
                let c = b[i]
                ok =
                    (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2B
                    || c == 0x2D || c == 0x2E
                i += 1
            }
            hasScheme = ok
        }

    }

    /// The byte ranges of the last (up to four) `/`-separated segments of `0..<end`: after each
    /// of the last four slashes, or, with fewer slashes, also the text before the first one.
    /// Kept inline (references are checked by the thousand; arrays here cost allocations).
    private struct Segments {
        private(set) var count = 0
        private var lowers: (Int, Int, Int, Int) = (0, 0, 0, 0)
        private var uppers: (Int, Int, Int, Int) = (0, 0, 0, 0)

        init(_ b: UnsafeBufferPointer<UInt8>, end: Int) {
            // The last four slashes before `end`, found from the end: segments are filled from
            // the last one backwards, then moved to the front.
            var found = 0
            var upper = end
            var i = end - 1
            var lows: (Int, Int, Int, Int) = (0, 0, 0, 0)
            var ups: (Int, Int, Int, Int) = (0, 0, 0, 0)
            while i >= 0 && found < 4 {
                if b[i] == UInt8(ascii: "/") {
                    Self.put(&lows, found, i + 1)
                    Self.put(&ups, found, upper)
                    upper = i
                    found += 1
                }
                i -= 1
            }
            if found < 4 {
                Self.put(&lows, found, 0)
                Self.put(&ups, found, upper)
                found += 1
            }
            count = found
            for k in 0..<found {
                Self.put(&lowers, k, Self.get(lows, found - 1 - k))
                Self.put(&uppers, k, Self.get(ups, found - 1 - k))
            }
        }

        subscript(_ k: Int) -> Range<Int> { Self.get(lowers, k)..<Self.get(uppers, k) }

        private static func get(_ t: (Int, Int, Int, Int), _ k: Int) -> Int {
            switch k {
            case 0: t.0
            case 1: t.1
            case 2: t.2
            default: t.3
            }
        }

        private static func put(_ t: inout (Int, Int, Int, Int), _ k: Int, _ v: Int) {
            switch k {
            case 0: t.0 = v
            case 1: t.1 = v
            case 2: t.2 = v
            default: t.3 = v
            }
        }
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: String) -> Bool {
        guard range.count == word.utf8.count else { return false }
        return zip(range, word.utf8).allSatisfy { bytes[$0] == $1 }
    }

    /// Whether the first three bytes are `urn` in any case.
    private static func isURNScheme(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        b.count >= 3 && b[0] | 0x20 == UInt8(ascii: "u") && b[1] | 0x20 == UInt8(ascii: "r")
            && b[2] | 0x20 == UInt8(ascii: "n")
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
        guard text.utf8.count >= prefix.utf8.count else { return false }
        if let answer = asciiHasPrefixIgnoringCase(text, prefix) { return answer }
        return text.prefix(prefix.count).lowercased() == prefix
    }

    /// ``hasPrefixIgnoringCase(_:_:)`` by bytes, for a lower-case ASCII `prefix` and a `text`
    /// whose bytes up to one past the prefix are ASCII (so each is a Character of its own, as
    /// far as comparing with the prefix goes); `nil` otherwise.
    private static func asciiHasPrefixIgnoringCase(_ text: String, _ prefix: String) -> Bool? {
        var t = text.utf8.makeIterator()
        var answer = true
        for p in prefix.utf8 {
            guard p < 0x80, p != 0x0D, !(p >= 0x41 && p <= 0x5A), let b = t.next(), b < 0x80 else { return nil }
            let lower = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            if lower != p { answer = false }
        }
        if let after = t.next(), after >= 0x80 { return nil }
        return answer
    }

    /// A FHIR id: 1 to 64 of `A-Z a-z 0-9 - .`.
    static func isValidID(_ id: String) -> Bool {
        guard !id.utf8.isEmpty, id.utf8.count <= 64 else { return false }
        // Over the bytes in place (the UTF8View's iterator costs a call per byte).
        var copy = id
        return copy.withUTF8 { bytes in
            for b in bytes {
                let ok =
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                    || b == 0x2E
                if !ok { return false }
            }
            return true
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
        // (One pass over the bytes in place for both marks.)
        var copy = text
        let hasQueryOrFragment = copy.withUTF8 { bytes in
            bytes.contains { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
        }
        guard !hasQueryOrFragment else { return nil }
        let syntax = ReferenceSyntax(text)
        guard let type = syntax.type, let id = syntax.id, isResourceType(type), isValidID(id) else { return nil }
        if let v = syntax.version, !isValidID(v) { return nil }
        return (type, id)
    }
}
