import FHIRPath
import FHIRXML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads narrative XHTML in the normalised form that `XHTMLNarrative.normalized` writes (libxml2
/// has already checked it is well-formed): start and end tags, attributes in double quotes with
/// `&`, `<`, `>`, `"` and controls escaped, namespaces declared where first used, comments, text.
/// It resolves namespaces and reports elements, attributes and text to a visitor. It never
/// traps: on anything unexpected it stops.
struct NarrativeScanner {
    static let xhtmlNamespace = "http://www.w3.org/1999/xhtml"
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    struct Attribute {
        /// The prefix (`xml` for `xml:lang`), nil for an unprefixed attribute.
        var prefix: String?
        var localName: String
        /// The namespace of a prefixed attribute, nil when unprefixed or undeclared.
        var namespace: String?
        /// The decoded value.
        var value: String
        /// `prefix:local` or `local`.
        var qualifiedName: String { prefix.map { $0 + ":" + localName } ?? localName }
    }

    struct Element {
        var localName: String
        var prefix: String?
        /// The element's namespace URI, nil when its prefix is not declared.
        var namespace: String?
        var attributes: [Attribute]
        /// Nesting depth; 0 for the root.
        var depth: Int
    }

    enum Event {
        case start(Element)
        case end
        /// A run of text; `hasContent` when it holds more than ASCII whitespace.
        case text(hasContent: Bool)
        case comment
    }

    /// Calls `visit` for every event of `text` in document order; stops when `visit` returns false.
    static func scan(_ text: String, _ visit: (Event) -> Bool) {
        // (Native strings are contiguous: no copy.)
        if text.utf8.withContiguousStorageIfAvailable({ scan($0, visit) }) != nil { return }
        let b = Array(text.utf8)
        b.withUnsafeBufferPointer { scan($0, visit) }
    }

    /// ``scan(_:_:)`` over the bytes `b`.
    private static func scan(_ b: UnsafeBufferPointer<UInt8>, _ visit: (Event) -> Bool) {
        let buffer = b
        let n = b.count
        /// The first `byte` at or after `start`.
        func next(_ byte: UInt8, from start: Int) -> Int? { ByteSearch.first(byte, in: buffer, from: start) }
        var i = 0
        var scope: [(prefix: String, uri: String)] = []
        var marks: [Int] = []
        // (Reused from tag to tag: the visitor does not keep them.)
        var raw: [(name: String, value: String)] = []
        var attributes: [Attribute] = []
        func lookup(_ prefix: String) -> String? {
            if prefix == "xml" { return xmlNamespace }
            var k = scope.count - 1
            while k >= 0 {
                if scope[k].prefix == prefix { return scope[k].uri.isEmpty ? nil : scope[k].uri }
                k -= 1
            }
            return nil
        }
        func find(_ needle: StaticString, from start: Int) -> Int? {
            let m = needle.utf8CodeUnitCount
            guard m > 0, n >= m, start >= 0, let base = buffer.baseAddress else { return nil }
            var k = start
            while k + m <= n {
                if memcmp(base + k, needle.utf8Start, m) == 0 { return k }
                k += 1
            }
            return nil
        }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        func isNameEnd(_ c: UInt8) -> Bool { isSpace(c) || c == 0x3E || c == 0x2F || c == 0x3D }

        while i < n {
            if b[i] != 0x3C {
                var k = i
                var content = false
                while k < n && b[k] != 0x3C {
                    if content {
                        // Content found: the rest of the run only needs its end.
                        k = next(0x3C, from: k) ?? n
                        break
                    }
                    if !isSpace(b[k]) {
                        // `&#9;`, `&#10;`, `&#13;` are whitespace written as references.
                        let reference = XHTMLByteScan.whitespaceReferenceLength(b, at: k)
                        if reference > 0 {
                            k += reference
                            continue
                        }
                        content = true
                    }
                    k += 1
                }
                if !visit(.text(hasContent: content)) { return }
                i = k
                continue
            }
            guard i + 1 < n else { return }
            if b[i + 1] == 0x21 {  // <!-- --> (the normalised form has no CDATA or DOCTYPE)
                guard let end = find("-->", from: i + 4) else { return }
                if !visit(.comment) { return }
                i = end + 3
                continue
            }
            if b[i + 1] == 0x3F {  // <? ?> (not written by the normaliser; skipped)
                guard let end = find("?>", from: i + 2) else { return }
                i = end + 2
                continue
            }
            if b[i + 1] == 0x2F {  // </name>
                guard let end = next(0x3E, from: i + 2) else { return }
                if let mark = marks.popLast(), mark <= scope.count { scope.removeSubrange(mark...) }
                if !visit(.end) { return }
                i = end + 1
                continue
            }
            // A start tag.
            var k = i + 1
            while k < n && !isNameEnd(b[k]) { k += 1 }
            let qname = String(decoding: b[(i + 1)..<k], as: UTF8.self)
            raw.removeAll(keepingCapacity: true)
            var selfClosing = false
            var closed = false
            while k < n {
                while k < n && isSpace(b[k]) { k += 1 }
                guard k < n else { break }
                if b[k] == 0x3E {
                    closed = true
                    k += 1
                    break
                }
                if b[k] == 0x2F {
                    guard k + 1 < n, b[k + 1] == 0x3E else { return }
                    selfClosing = true
                    closed = true
                    k += 2
                    break
                }
                let nameStart = k
                while k < n && !isNameEnd(b[k]) { k += 1 }
                let name = String(decoding: b[nameStart..<k], as: UTF8.self)
                guard k + 1 < n, b[k] == 0x3D, b[k + 1] == 0x22 else { return }
                let valueStart = k + 2
                guard let quote = next(0x22, from: valueStart) else { return }
                raw.append((name, decode(b[valueStart..<quote])))
                k = quote + 1
            }
            guard closed else { return }
            marks.append(scope.count)
            attributes.removeAll(keepingCapacity: true)
            for (name, value) in raw {
                if name == "xmlns" {
                    scope.append(("", value))
                } else if name.hasPrefix("xmlns:") {
                    scope.append((String(name.dropFirst(6)), value))
                }
            }
            for (name, value) in raw where name != "xmlns" && !name.hasPrefix("xmlns:") {
                if !hasColon(name) {
                    attributes.append(Attribute(prefix: nil, localName: name, namespace: nil, value: value))
                } else if let colon = ByteSearch.firstColon(in: name) {
                    let prefix = String(name[..<colon])
                    attributes.append(
                        Attribute(
                            prefix: prefix, localName: String(name[name.index(after: colon)...]),
                            namespace: lookup(prefix), value: value))
                } else {
                    attributes.append(Attribute(prefix: nil, localName: name, namespace: nil, value: value))
                }
            }
            let prefix: String?
            let local: String
            if !hasColon(qname) {
                prefix = nil
                local = qname
            } else if let colon = ByteSearch.firstColon(in: qname) {
                prefix = String(qname[..<colon])
                local = String(qname[qname.index(after: colon)...])
            } else {
                prefix = nil
                local = qname
            }
            let element = Element(
                localName: local, prefix: prefix, namespace: lookup(prefix ?? ""), attributes: attributes,
                depth: marks.count - 1)
            if !visit(.start(element)) { return }
            if selfClosing {
                if let mark = marks.popLast(), mark <= scope.count { scope.removeSubrange(mark...) }
                if !visit(.end) { return }
            }
            i = k
        }
    }

    /// Whether `name` may hold a Character `:`: a name without a `:` byte has none.
    @inline(__always)
    private static func hasColon(_ name: String) -> Bool {
        name.utf8.contains(UInt8(ascii: ":"))
    }

    /// Decodes the character references of the normalised form (`&amp;`, `&lt;`, `&gt;`,
    /// `&quot;`, `&apos;`, `&#N;`, `&#xN;`); anything else is kept as written.
    static func decode(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        guard bytes.contains(0x26) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var k = bytes.startIndex
        while k < bytes.endIndex {
            let c = bytes[k]
            guard c == 0x26, let semi = bytes[k..<min(bytes.endIndex, k + 12)].firstIndex(of: 0x3B) else {
                out.append(c)
                k += 1
                continue
            }
            let name = String(decoding: bytes[(k + 1)..<semi], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch name {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                }
            }
            if let scalar {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                k = semi + 1
            } else {
                out.append(c)
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the root start tag of the text as given (before normalisation) declares a
    /// namespace for its own prefix (`xmlns="..."` or `xmlns:p="..."`). A narrative carried in
    /// JSON must declare the XHTML namespace itself.
    static func rootDeclaresNamespace(_ text: String) -> Bool {
        // (Only the text up to the root tag is read: no copy of native strings.)
        if let answer = text.utf8.withContiguousStorageIfAvailable({ rootDeclaresNamespace($0) }) { return answer }
        return Array(text.utf8).withUnsafeBufferPointer { rootDeclaresNamespace($0) }
    }

    private static func rootDeclaresNamespace(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        while i < n {
            guard b[i] == 0x3C else {
                i += 1
                continue
            }
            guard i + 1 < n else { return false }
            if b[i + 1] == 0x3F || b[i + 1] == 0x21 {
                // XML declaration, comment: skip to its end.
                let close: [UInt8] = b[i + 1] == 0x3F ? Array("?>".utf8) : Array("-->".utf8)
                var k = i + 2
                while k + close.count <= n && !b[k..<(k + close.count)].elementsEqual(close) { k += 1 }
                i = k + close.count
                continue
            }
            // The root start tag: read its name and attributes up to the unquoted `>`.
            var k = i + 1
            while k < n
                && !(b[k] == 0x20 || b[k] == 0x09 || b[k] == 0x0A || b[k] == 0x0D || b[k] == 0x3E || b[k] == 0x2F)
            {
                k += 1
            }
            let qname = String(decoding: b[(i + 1)..<k], as: UTF8.self)
            let wanted = ByteSearch.firstColon(in: qname).map { "xmlns:" + qname[..<$0] } ?? "xmlns"
            var quote: UInt8 = 0
            var tag: [UInt8] = []
            while k < n {
                let c = b[k]
                if quote == 0 && c == 0x3E { break }
                if quote == 0 && (c == 0x22 || c == 0x27) {
                    quote = c
                } else if c == quote {
                    quote = 0
                }
                tag.append(c)
                k += 1
            }
            return declares(wanted, in: tag)
        }
        return false
    }

    /// Whether the attribute text of a start tag has an attribute named `name` (`xmlns`).
    private static func declares(_ name: String, in tag: [UInt8]) -> Bool {
        // ASCII without carriage returns (every byte a Character): read by byte.
        if name.utf8.allSatisfy({ $0 < 0x80 }) && !tag.contains(where: { $0 >= 0x80 || $0 == 0x0D }) {
            return declaresASCII(name, in: tag)
        }
        return declaresCharacters(name, in: tag)
    }

    /// ``declares(_:in:)`` for ASCII text without carriage returns.
    private static func declaresASCII(_ name: String, in tag: [UInt8]) -> Bool {
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A }
        let n = tag.count
        var rest = 0
        while let eq = tag[rest...].firstIndex(of: 0x3D) {
            // The word before `=`, whitespace after it dropped.
            var end = eq
            while end > rest && isSpace(tag[end - 1]) { end -= 1 }
            var start = end
            while start > rest && !isSpace(tag[start - 1]) { start -= 1 }
            if tag[start..<end].elementsEqual(name.utf8) { return true }
            // Skip the quoted value.
            var open = eq + 1
            while open < n && isSpace(tag[open]) { open += 1 }
            guard open < n, tag[open] == 0x22 || tag[open] == 0x27,
                let close = tag[(open + 1)...].firstIndex(of: tag[open])
            else { return false }
            rest = close + 1
        }
        return false
    }

    /// ``declares(_:in:)`` Character by Character.
    private static func declaresCharacters(_ name: String, in tag: [UInt8]) -> Bool {
        let text = String(decoding: tag, as: UTF8.self)
        var rest = Substring(text)
        while let eq = rest.firstIndex(of: "=") {
            let before = rest[..<eq].reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            let attribute = String(
                before.prefix(while: { !($0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r") }).reversed())
            if attribute == name { return true }
            rest = rest[rest.index(after: eq)...]
            // Skip the quoted value.
            let trimmed = rest.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            guard let q = trimmed.first, q == "\"" || q == "'" else { return false }
            let afterOpen = trimmed.dropFirst()
            guard let close = afterOpen.firstIndex(of: q) else { return false }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return false
    }
}
