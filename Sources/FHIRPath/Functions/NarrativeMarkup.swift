import FHIRXML

/// The start tags and attributes of a narrative's normal form (what
/// ``NarrativeNormalization/normalized(_:)`` returns), read in one byte pass without building
/// Strings, so that the narrative rules and `htmlChecks()` (txt-1) can decide plain narratives
/// from byte ranges instead of each scanning the text again.
///
/// Only the simple shape is read: ASCII names without `:` (letters, digits, `_`, `-`, `.`),
/// attributes written ` name="value"`, start tags ending in `>` or `/>`, end tags, comments and
/// text, one root element. Anything else (prefixes, processing instructions, another root, a
/// truncated tag) makes ``read(_:)`` answer nil, and the readers that need more scan the text
/// as before. The readers must treat this as a shortcut for the cases it proves clean only.
package struct NarrativeMarkup: Sendable {
    /// A start tag: its name and the indices of its attributes in ``attributes``.
    package typealias Tag = XHTMLMarkupTag
    package typealias Attribute = XHTMLMarkupAttribute

    /// The normal form the ranges point into.
    package let text: String
    /// Start tags in document order (the root first).
    package private(set) var tags: [Tag] = []
    package private(set) var attributes: [Attribute] = []
    /// Whether a text run holds more than whitespace (`&#9;`, `&#10;`, `&#13;` count as
    /// whitespace), as `NarrativeScanner` counts it.
    package private(set) var hasText = false
    package private(set) var hasComment = false
    /// Whether every tag is ASCII and its `<` and `>` are Characters of their own (no prepended
    /// mark before `<`, no combining mark after `>`), so that a Character scan finds the same
    /// markup as this byte scan.
    package private(set) var asciiMarkup = true

    private init(text: String) {
        self.text = text
    }

    /// The markup of `normalized`, or nil when it is not of the simple shape (or not stored
    /// contiguously).
    package static func read(_ normalized: String) -> NarrativeMarkup? {
        var markup = NarrativeMarkup(text: normalized)
        let ok = normalized.utf8.withContiguousStorageIfAvailable { markup.scan($0) } ?? false
        return ok ? markup : nil
    }

    /// The markup the quick normaliser recorded while writing `normalized`: the same answers as
    /// ``read(_:)`` without the second scan (nil when the text is not stored contiguously).
    package static func recorded(_ normalized: String, _ record: XHTMLMarkupRecord) -> NarrativeMarkup? {
        var markup = NarrativeMarkup(text: normalized)
        markup.tags = record.tags
        markup.attributes = record.attributes
        markup.hasText = record.hasText
        markup.hasComment = record.hasComment
        if record.nonASCIIValue {
            markup.asciiMarkup = false
        } else if !record.markupAfterNonASCII.isEmpty || !record.tagEndBeforeNonASCII.isEmpty {
            let clean = normalized.utf8.withContiguousStorageIfAvailable { b in
                record.markupAfterNonASCII.allSatisfy { breaksBefore(b, $0) }
                    && record.tagEndBeforeNonASCII.allSatisfy { breaksAfter(b, $0) }
            }
            guard let clean else { return nil }
            markup.asciiMarkup = clean
        }
        return markup
    }

    /// Calls `body` with the bytes of ``text``.
    package func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        text.utf8.withContiguousStorageIfAvailable(body)
    }

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    @inline(__always)
    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
            || c == 0x2E
    }

    /// The end of the name starting at `start` (at least one name byte), or nil.
    @inline(__always)
    private static func nameEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var k = start
        while k < b.count && isNameByte(b[k]) { k += 1 }
        return k > start ? k : nil
    }

    private mutating func scan(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        var depth = 0
        while i < n {
            if b[i] != 0x3C {
                i = textRun(b, from: i)
                continue
            }
            // Markup: a Character scan sees the `<` only when it is not joined to what precedes.
            if i > 0 && b[i - 1] >= 0x80 && asciiMarkup && !Self.breaksBefore(b, i) { asciiMarkup = false }
            guard i + 1 < n else { return false }
            switch b[i + 1] {
            case 0x21:  // <!-- -->
                guard i + 3 < n, b[i + 2] == 0x2D, b[i + 3] == 0x2D, let end = commentEnd(b, from: i + 4) else {
                    return false
                }
                hasComment = true
                i = end
            case 0x2F:  // </name>: skipped to its `>`
                guard depth > 0, let gt = ByteSearch.first(0x3E, in: b, from: i + 2) else { return false }
                for k in (i + 2)..<gt where b[k] >= 0x80 { asciiMarkup = false }
                if gt + 1 < n && b[gt + 1] >= 0x80 && asciiMarkup && !Self.breaksAfter(b, gt) { asciiMarkup = false }
                depth -= 1
                i = gt + 1
            default:
                guard depth > 0 || tags.isEmpty, let (next, selfClosing) = startTag(b, at: i) else { return false }
                if next < n && b[next] >= 0x80 && asciiMarkup && !Self.breaksAfter(b, next - 1) { asciiMarkup = false }
                if !selfClosing { depth += 1 }
                i = next
            }
        }
        return !tags.isEmpty
    }

    /// A start tag at `start`: the offset after it and whether it ends in `/>`.
    private mutating func startTag(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, Bool)? {
        let n = b.count
        guard let nameEnd = Self.nameEnd(b, from: start + 1) else { return nil }
        let first = attributes.count
        var k = nameEnd
        while k < n {
            switch b[k] {
            case 0x3E:
                tags.append(Tag(name: (start + 1)..<nameEnd, attributes: first..<attributes.count))
                return (k + 1, false)
            case 0x2F:
                guard k + 1 < n, b[k + 1] == 0x3E else { return nil }
                tags.append(Tag(name: (start + 1)..<nameEnd, attributes: first..<attributes.count))
                return (k + 2, true)
            case 0x20:
                guard let attributeEnd = Self.nameEnd(b, from: k + 1), attributeEnd + 1 < n, b[attributeEnd] == 0x3D,
                    b[attributeEnd + 1] == 0x22
                else { return nil }
                let valueStart = attributeEnd + 2
                // (Values are escaped in the normal form: no `<`, `>` or controls; `&` marks a
                // reference.)
                var reference = false
                var high = false
                var p = valueStart
                while true {
                    p = XHTMLByteScan.firstMarked(b, from: p, to: n, 0x22, 0x26, 0x3C, 0x3E, 0x3E, high: !high)
                    guard p < n else { return nil }
                    let c = b[p]
                    if c == 0x22 { break }
                    if c == 0x3C || c == 0x3E { return nil }
                    if c == 0x26 { reference = true } else { high = true }
                    p += 1
                }
                let quote = p
                if high { asciiMarkup = false }
                attributes.append(
                    Attribute(name: (k + 1)..<attributeEnd, value: valueStart..<quote, hasReference: reference))
                k = quote + 1
            default:
                return nil
            }
        }
        return nil
    }

    /// Whether a Character boundary lies before the `<` at `p`, after non-ASCII text. Only a
    /// prepended mark joins the next Character (no other rule of grapheme breaking applies
    /// before `<`); none is below U+0600 (two-byte UTF-8 up to `D7`), others are asked of the
    /// Character view.
    static func breaksBefore(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> Bool {
        var q = p - 1
        while q > 0 && q > p - 4 && b[q] & 0xC0 == 0x80 { q -= 1 }
        if q == p - 2 && b[q] >= 0xC2 && b[q] <= 0xD7 { return true }
        return String(decoding: UnsafeBufferPointer(rebasing: b[q...p]), as: UTF8.self).last == "<"
    }

    /// Whether a Character boundary lies after the `>` at `p`, before non-ASCII text: only an
    /// extending or spacing mark (or a joiner) joins it, none below U+0300 (two-byte UTF-8 up to
    /// `CB`); others are asked of the Character view.
    static func breaksAfter(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> Bool {
        let lead = b[p + 1]
        if lead >= 0xC2 && lead <= 0xCB { return true }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        let end = min(b.count, p + 1 + length)
        return String(decoding: UnsafeBufferPointer(rebasing: b[p..<end]), as: UTF8.self).first == ">"
    }

    /// The offset after the `-->` of a comment whose content starts at `from`.
    private func commentEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var k = from
        while let dash = ByteSearch.first(0x2D, in: b, from: k) {
            if dash + 2 < b.count && b[dash + 1] == 0x2D && b[dash + 2] == 0x3E { return dash + 3 }
            k = dash + 1
        }
        return nil
    }

    /// A text run from `start`: the offset of the next `<` (or the end). Once some text is
    /// found, runs are only searched for their end.
    private mutating func textRun(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let n = b.count
        var k = start
        if !hasText {
            while k < n && b[k] != 0x3C {
                if !Self.isSpace(b[k]) {
                    // `&#9;`, `&#10;`, `&#13;` are whitespace written as references.
                    let reference = XHTMLByteScan.whitespaceReferenceLength(b, at: k)
                    if reference > 0 {
                        k += reference
                        continue
                    }
                    hasText = true
                    break
                }
                k += 1
            }
        }
        return ByteSearch.first(0x3C, in: b, from: k) ?? n
    }
}
