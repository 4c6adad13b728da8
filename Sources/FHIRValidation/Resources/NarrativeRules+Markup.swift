import FHIRPath

/// The narrative rules decided from ``NarrativeMarkup`` (byte ranges of the normal form read
/// once with it) for the plain narratives most resources carry, without Strings or a second
/// scan.
extension NarrativeRules {
    /// Whether the narrative of `markup` has content (txt-2) when no other rule of
    /// ``check(_:path:into:)`` reports anything about its markup; nil when one might (or when
    /// unsure), and the full scan then finds and words the problems.
    ///
    /// It answers only when the root is a `div` whose `xmlns` is the XHTML namespace, no other
    /// element declares a namespace (so every element is XHTML: names have no prefixes), every
    /// element is allowed, and every attribute is allowed on its element, is no event handler,
    /// and holds neither script in a style nor a script or data URL.
    static func quickContent(_ markup: NarrativeMarkup) -> Bool? {
        // (The text's own storage, read here so the closure is specialised in this module.)
        let answer = markup.text.utf8.withContiguousStorageIfAvailable { b -> Bool? in
            guard let root = markup.tags.first, equals(b, root.name, "div") else { return nil }
            var hasContent = markup.hasText
            var declared = false
            for (index, tag) in markup.tags.enumerated() {
                let name = UnsafeBufferPointer(rebasing: b[tag.name])
                guard allowedNames.contains(name, lowercasing: false) == true else { return nil }
                if equals(b, tag.name, "img") { hasContent = true }
                guard !tag.attributes.isEmpty else { continue }
                // (Looked up once per tag, when an attribute needs it.)
                var rulesRead = false
                var rules: ElementRules?
                for attribute in markup.attributes[tag.attributes] {
                    let attributeName = UnsafeBufferPointer(rebasing: b[attribute.name])
                    if equals(b, attribute.name, "xmlns") {
                        guard index == 0, !attribute.hasReference,
                            b[attribute.value].elementsEqual(XHTMLNamespaceBytes.value)
                        else { return nil }
                        declared = true
                        continue
                    }
                    let event =
                        attributeName.count >= 2 && attributeName[0] | 0x20 == 0x6F && attributeName[1] | 0x20 == 0x6E
                    guard !event else { return nil }
                    let global = globalNames.contains(attributeName, lowercasing: false) == true
                    if !global || urlNamesIncludeGlobal, !rulesRead {
                        rules = elementRules.first { $0.element.elementsEqual(name) }
                        rulesRead = true
                    }
                    guard global || rules?.attributes.contains(attributeName, lowercasing: false) == true else {
                        return nil
                    }
                    if equals(b, attribute.name, "style") {
                        let script =
                            attribute.hasReference
                            ? styleHasScript(NarrativeScanner.decode(b[attribute.value]))
                            : styleHasScript(UnsafeBufferPointer(rebasing: b[attribute.value]))
                        if script { return nil }
                    }
                    if let rules, rules.urls.contains(attributeName, lowercasing: false) == true {
                        let value = b[attribute.value]
                        if !attribute.hasReference && !mayHaveScriptOrDataScheme(bytes: value) { continue }
                        let imageSource = equals(b, tag.name, "img") && equals(b, attribute.name, "src")
                        if !attribute.hasReference && imageSource && startsWithDataImage(bytes: value) == true {
                            continue
                        }
                        if urlProblem(NarrativeScanner.decode(value), imageSource: imageSource) != nil { return nil }
                    }
                }
            }
            return declared ? hasContent : nil
        }
        return answer ?? nil
    }

    /// The attributes allowed on particular elements and those of them holding URLs, by
    /// element name bytes (from ``elementAttributes`` and ``urlAttributes``).
    static let elementRules: [ElementRules] = Set(elementAttributes.keys).union(urlAttributes.keys).sorted().map {
        element in
        ElementRules(
            element: Array(element.utf8), attributes: ASCIINameSet(Array(elementAttributes[element] ?? [])),
            urls: ASCIINameSet(Array(urlAttributes[element] ?? [])))
    }

    struct ElementRules: Sendable {
        var element: [UInt8]
        var attributes: ASCIINameSet
        var urls: ASCIINameSet
    }

    /// Whether some URL attribute is also global (then global attributes are looked up too).
    static let urlNamesIncludeGlobal = urlAttributes.values.contains { !$0.isDisjoint(with: globalAttributes) }

    /// Whether the bytes `range` of `b` are `ascii`.
    private static func equals(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ ascii: StaticString) -> Bool {
        range.count == ascii.utf8CodeUnitCount
            && UnsafeBufferPointer(start: ascii.utf8Start, count: ascii.utf8CodeUnitCount).elementsEqual(b[range])
    }
}

/// The XHTML namespace URI as bytes.
private enum XHTMLNamespaceBytes {
    static let value: [UInt8] = Array(NarrativeScanner.xhtmlNamespace.utf8)
}
