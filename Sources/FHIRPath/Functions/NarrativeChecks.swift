import FHIRModel
import FHIRXML

/// The narrative rules behind `htmlChecks()` (FHIR R4 txt-1 and txt-2): well-formed XHTML with a
/// `div` root, only the basic HTML formatting elements, no scripts, forms or event handlers.
enum NarrativeChecks {
    /// The elements FHIR narrative may use (HTML 4 formatting, lists, tables, links, images).
    static let allowedElements: Set<String> = [
        "a", "abbr", "acronym", "address", "area", "b", "bdo", "big", "blockquote", "br", "caption", "cite", "code",
        "col", "colgroup", "dd", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "kbd", "li", "map", "ol", "p", "pre", "q", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var", "s", "u", "strike", "del", "ins", "label", "center",
        "font",
    ]

    /// Problems found, as short messages without content; empty when the narrative is acceptable.
    static func problems(in xhtml: String) -> [String] {
        let entry = NarrativeNormalization.entry(xhtml)
        guard case .success(let normalized) = entry.result else {
            return ["the narrative is not well-formed XHTML"]
        }
        if let markup = entry.markup, isClean(markup) { return [] }
        return scan(normalized)
    }

    /// Whether ``scan(_:)`` certainly finds no problem in the text of `markup`, read from its
    /// byte ranges: the markup is ASCII with ASCII next to it (the Character scan finds the same
    /// tags), there is no comment (whose content the scan would read as tags), the root is a
    /// `div`, every element is allowed and no attribute is an event handler. False when unsure.
    static func isClean(_ markup: NarrativeMarkup) -> Bool {
        guard markup.asciiMarkup, !markup.hasComment else { return false }
        return markup.withBytes { b in
            for (index, tag) in markup.tags.enumerated() {
                let name = UnsafeBufferPointer(rebasing: b[tag.name])
                if index == 0 {
                    guard name.count == 3, name[0] | 0x20 == 0x64, name[1] | 0x20 == 0x69, name[2] | 0x20 == 0x76
                    else { return false }
                } else if allowedNames.contains(name, lowercasing: true) != true {
                    return false
                }
                for attribute in markup.attributes[tag.attributes] {
                    let a = attribute.name
                    if a.count >= 2 && b[a.lowerBound] | 0x20 == 0x6F && b[a.lowerBound + 1] | 0x20 == 0x6E {
                        return false
                    }
                }
            }
            return true
        } ?? false
    }

    /// The problems of normalised XHTML text: read as UTF-8 bytes (``scanBytes(_:in:)``) when the
    /// text is stored contiguously, else Character by Character. Both give the same answers.
    static func scan(_ normalized: String) -> [String] {
        let fast = normalized.utf8.withContiguousStorageIfAvailable { scanBytes($0, in: normalized) }
        return (fast ?? nil) ?? scanCharacters(normalized)
    }

    /// The reference form of ``scan(_:)``: the tags found Character by Character.
    static func scanCharacters(_ normalized: String) -> [String] {
        var problems: [String] = []
        var bytes = Substring(normalized)
        var first = true
        while let open = bytes.firstIndex(of: "<") {
            bytes = bytes[bytes.index(after: open)...]
            guard let next = bytes.first else { break }
            if next == "/" || next == "!" || next == "?" {
                if first && next != "/" { continue }
                continue
            }
            let nameEnd =
                bytes.firstIndex { $0 == " " || $0 == ">" || $0 == "/" || $0 == "\t" || $0 == "\n" } ?? bytes.endIndex
            var name = String(bytes[..<nameEnd]).lowercased()
            if let colon = name.firstIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
            if first {
                if name != "div" { problems.append("the narrative root must be a div") }
                first = false
            }
            if !allowedElements.contains(name) { problems.append("element '\(name)' is not allowed in narrative") }
            guard let tagEnd = bytes.firstIndex(of: ">") else { break }
            let tag = bytes[nameEnd..<tagEnd]
            for attribute in attributeNames(in: tag) where attribute.hasPrefix("on") {
                problems.append("event attribute '\(attribute)' is not allowed in narrative")
            }
            bytes = bytes[tagEnd...]
        }
        if first { problems.append("the narrative has no root element") }
        return problems
    }

    /// Attribute names in the text of a start tag after its name.
    static func attributeNames(in tag: Substring) -> [String] {
        var names: [String] = []
        var rest = tag
        while let eq = rest.firstIndex(of: "=") {
            let before = rest[..<eq].trimmingSuffixWhitespace
            let name = before.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).last.map(String.init)
            if let name { names.append(name.lowercased()) }
            rest = rest[rest.index(after: eq)...]
            guard let quote = rest.first(where: { $0 == "\"" || $0 == "'" }), let q1 = rest.firstIndex(of: quote)
            else { break }
            let afterOpen = rest[rest.index(after: q1)...]
            guard let q2 = afterOpen.firstIndex(of: quote) else { break }
            rest = afterOpen[afterOpen.index(after: q2)...]
        }
        return names
    }
}

extension Substring {
    fileprivate var trimmingSuffixWhitespace: Substring {
        var s = self
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return s
    }
}
