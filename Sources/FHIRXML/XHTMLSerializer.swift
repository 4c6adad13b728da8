import CLibXML2

/// Serialises the SAX events of a narrative `div` back into XML text.
///
/// - `.faithful` keeps prefixes, declares every namespace the fragment uses on the element that
///   first needs it (so the text stands alone, as FHIR JSON carries it) and keeps attribute
///   order: `<div xmlns="http://www.w3.org/1999/xhtml">...</div>`.
/// - `.comparisonKey` writes names as `{uri}local` (XHTML names bare), sorts attributes and
///   writes no declarations, so two fragments that are the same XML give the same key.
///
/// - `.looseComparisonKey` is `.comparisonKey` with whitespace runs in text, comments and
///   attribute values collapsed to one space and trimmed at the ends (layout-only differences
///   vanish).
///
/// Elements in no namespace are taken as XHTML (a JSON narrative without its `xmlns`).
struct XHTMLSerializer {
    enum Mode: Sendable { case faithful, comparisonKey, looseComparisonKey }

    static let xhtmlNamespace = "http://www.w3.org/1999/xhtml"

    let mode: Mode
    private(set) var out: [UInt8] = []
    private var pendingOpen = false
    /// In-scope bindings (prefix "" is the default namespace) and where each element's begin.
    private var scope: [(prefix: String, uri: String)] = []
    private var scopeMarks: [Int] = []
    /// Set when a value could not be written (a character XML cannot carry).
    private(set) var failed = false
    /// Text held back in loose mode until the next tag, to collapse and trim it.
    private var pendingText: [UInt8] = []

    init(mode: Mode) {
        self.mode = mode
        out.reserveCapacity(256)
    }

    private func lookup(_ prefix: String) -> String? {
        var i = scope.count - 1
        while i >= 0 {
            if scope[i].prefix == prefix { return scope[i].uri }
            i -= 1
        }
        return nil
    }

    private mutating func closePending() {
        if mode == .looseComparisonKey && !pendingText.isEmpty {
            let collapsed = Self.collapse(pendingText)
            pendingText.removeAll(keepingCapacity: true)
            if !collapsed.isEmpty {
                if pendingOpen {
                    out.append(0x3E)
                    pendingOpen = false
                }
                collapsed.withUnsafeBufferPointer {
                    if !XMLEscaping.append($0, inAttribute: false, to: &out) { failed = true }
                }
            }
        }
        if pendingOpen {
            out.append(0x3E)
            pendingOpen = false
        }
    }

    /// A start tag, from the raw SAX2 arguments (namespaces as prefix/URI pairs, attributes as
    /// five pointers each).
    mutating func startElement(
        localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?,
        nbNamespaces: Int, namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
        nbAttributes: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        if mode == .faithful && nbNamespaces == 0 && isBound(prefix, uri)
            && !hasPrefixedAttribute(nbAttributes, attributes)
        {
            // The common case: nothing to declare, so write straight from libxml2's buffers.
            closePending()
            scopeMarks.append(scope.count)
            out.append(0x3C)
            if let prefix {
                appendCString(prefix)
                out.append(0x3A)
            }
            appendCString(localname)
            if let attributes {
                for i in 0..<nbAttributes {
                    let base = i * 5
                    guard let local = attributes[base] else { continue }
                    out.append(0x20)
                    appendCString(local)
                    out.append(0x3D)
                    out.append(0x22)
                    if let begin = attributes[base + 3], let end = attributes[base + 4], end > begin {
                        let raw = UnsafeBufferPointer(start: begin, count: end - begin)
                        let ok =
                            raw.contains(0x26)
                            ? XMLEscaping.append(saxAttributeValue(begin, end), inAttribute: true, to: &out)
                            : XMLEscaping.append(raw, inAttribute: true, to: &out)
                        if !ok { failed = true }
                    }
                    out.append(0x22)
                }
            }
            pendingOpen = true
            return
        }
        startElement(
            localname: localname, prefix: prefix, uri: uri,
            namespaces: saxNamespaces(namespaces, count: nbNamespaces),
            attributes: saxAttributes(attributes, count: nbAttributes))
    }

    /// Whether `prefix` (nil: the default namespace) is bound to `uri` (nil: XHTML) in scope.
    private func isBound(_ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) -> Bool {
        let p = prefix.map { UnsafeBufferPointer(start: $0, count: Int(xmlStrlen($0))) }
        var i = scope.count - 1
        while i >= 0 {
            let matches = p.map { scope[i].prefix.utf8.elementsEqual($0) } ?? scope[i].prefix.isEmpty
            if matches {
                guard let uri else { return scope[i].uri == Self.xhtmlNamespace }
                return scope[i].uri.utf8.elementsEqual(UnsafeBufferPointer(start: uri, count: Int(xmlStrlen(uri))))
            }
            i -= 1
        }
        return false
    }

    private func hasPrefixedAttribute(_ count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?)
        -> Bool
    {
        guard let attributes else { return false }
        for i in 0..<count where attributes[i * 5 + 1] != nil { return true }
        return false
    }

    private mutating func startElement(
        localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?,
        namespaces: [(prefix: String?, uri: String)], attributes: [SAXAttribute]
    ) {
        closePending()
        let local = String(cString: localname)
        let pfx = prefix.map { String(cString: $0) } ?? ""
        let ns = uri.map { String(cString: $0) } ?? Self.xhtmlNamespace
        scopeMarks.append(scope.count)
        out.append(0x3C)
        switch mode {
        case .comparisonKey, .looseComparisonKey:
            appendKeyName(local, ns)
            let loose = mode == .looseComparisonKey
            let sorted = attributes.map {
                (key: keyName($0.localname, $0.uri), value: loose ? Self.collapse($0.value) : $0.value)
            }.sorted { $0.key < $1.key }
            for a in sorted { appendAttribute(a.key, a.value) }
        case .faithful:
            if !pfx.isEmpty {
                XMLEscaping.appendRaw(pfx, to: &out)
                out.append(0x3A)
            }
            XMLEscaping.appendRaw(local, to: &out)
            var declarations: [(prefix: String, uri: String)] = []
            for d in namespaces {
                let p = d.prefix ?? ""
                if lookup(p) == d.uri || declarations.contains(where: { $0.prefix == p }) { continue }
                declarations.append((p, d.uri))
                scope.append((p, d.uri))
            }
            if lookup(pfx) != ns {
                declarations.append((pfx, ns))
                scope.append((pfx, ns))
            }
            for a in attributes {
                guard let ap = a.prefix, ap != "xml", let au = a.uri else { continue }
                if lookup(ap) != au {
                    declarations.append((ap, au))
                    scope.append((ap, au))
                }
            }
            for d in declarations {
                XMLEscaping.appendASCII(" xmlns", to: &out)
                if !d.prefix.isEmpty {
                    out.append(0x3A)
                    XMLEscaping.appendRaw(d.prefix, to: &out)
                }
                out.append(0x3D)
                out.append(0x22)
                if !XMLEscaping.append(d.uri, inAttribute: true, to: &out) { failed = true }
                out.append(0x22)
            }
            for a in attributes {
                let name = a.prefix.map { $0 + ":" + a.localname } ?? a.localname
                appendAttribute(name, a.value)
            }
        }
        pendingOpen = true
    }

    mutating func endElement(
        localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?
    ) {
        if !pendingText.isEmpty { closePending() }
        if pendingOpen {
            out.append(0x2F)
            out.append(0x3E)
            pendingOpen = false
        } else {
            out.append(0x3C)
            out.append(0x2F)
            switch mode {
            case .comparisonKey, .looseComparisonKey:
                appendKeyName(String(cString: localname), uri.map { String(cString: $0) } ?? Self.xhtmlNamespace)
            case .faithful:
                if let prefix {
                    appendCString(prefix)
                    out.append(0x3A)
                }
                appendCString(localname)
            }
            out.append(0x3E)
        }
        if let mark = scopeMarks.popLast(), mark < scope.count { scope.removeSubrange(mark...) }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if mode == .looseComparisonKey {
            pendingText.append(contentsOf: bytes)
            return
        }
        closePending()
        if !XMLEscaping.append(bytes, inAttribute: false, to: &out) { failed = true }
    }

    mutating func comment(_ value: UnsafePointer<xmlChar>) {
        closePending()
        XMLEscaping.appendASCII("<!--", to: &out)
        if mode == .looseComparisonKey {
            out.append(
                contentsOf: Self.collapse(Array(UnsafeBufferPointer(start: value, count: Int(xmlStrlen(value))))))
        } else {
            appendCString(value)
        }
        XMLEscaping.appendASCII("-->", to: &out)
    }

    private static func collapse(_ text: String) -> String {
        String(decoding: collapse(Array(text.utf8)), as: UTF8.self)
    }

    /// Whitespace runs to one space, none at either end.
    private static func collapse(_ text: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var space = false
        for b in text {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                space = true
            } else {
                if space && !result.isEmpty { result.append(0x20) }
                space = false
                result.append(b)
            }
        }
        return result
    }

    /// The serialised fragment.
    var string: String { String(decoding: out, as: UTF8.self) }

    // MARK: - Helpers

    private mutating func appendCString(_ p: UnsafePointer<xmlChar>) {
        let n = Int(xmlStrlen(p))
        out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
    }

    private func keyName(_ local: String, _ uri: String?) -> String {
        guard let uri, uri != Self.xhtmlNamespace else { return local }
        return "{" + uri + "}" + local
    }

    private mutating func appendKeyName(_ local: String, _ uri: String) {
        XMLEscaping.appendRaw(keyName(local, uri), to: &out)
    }

    private mutating func appendAttribute(_ name: String, _ value: String) {
        out.append(0x20)
        XMLEscaping.appendRaw(name, to: &out)
        out.append(0x3D)
        out.append(0x22)
        if !XMLEscaping.append(value, inAttribute: true, to: &out) { failed = true }
        out.append(0x22)
    }
}

/// One attribute of a SAX2 start tag, decoded.
struct SAXAttribute {
    var localname: String
    var prefix: String?
    var uri: String?
    var value: String
}
