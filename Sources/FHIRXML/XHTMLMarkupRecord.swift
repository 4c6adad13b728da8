/// A start tag of a narrative's normal form: byte ranges into the normal form.
package struct XHTMLMarkupTag: Sendable {
    /// The element name's bytes.
    package var name: Range<Int>
    /// Indices of its attributes in the attribute list.
    package var attributes: Range<Int>

    package init(name: Range<Int>, attributes: Range<Int>) {
        self.name = name
        self.attributes = attributes
    }
}

/// An attribute of a start tag of a narrative's normal form.
package struct XHTMLMarkupAttribute: Sendable {
    package var name: Range<Int>
    /// The value as written (between the quotes, references not decoded).
    package var value: Range<Int>
    /// Whether the value holds `&` (a reference: decode before reading it).
    package var hasReference: Bool

    package init(name: Range<Int>, value: Range<Int>, hasReference: Bool) {
        self.name = name
        self.value = value
        self.hasReference = hasReference
    }
}

/// The markup of a normal form as ``XHTMLQuickNormalizer`` wrote it (offsets into its output),
/// so that readers need not scan the normal form again. The places where non-ASCII text meets
/// markup are listed for the reader to judge (a Character boundary question).
package struct XHTMLMarkupRecord: Sendable {
    /// Start tags in document order (the root first).
    package var tags: [XHTMLMarkupTag] = []
    package var attributes: [XHTMLMarkupAttribute] = []
    /// Whether a text run holds more than whitespace (`&#9;`, `&#10;`, `&#13;` count as
    /// whitespace).
    package var hasText = false
    package var hasComment = false
    /// Whether some attribute value holds a non-ASCII byte.
    package var nonASCIIValue = false
    /// Offsets of `<` (any markup) right after a non-ASCII byte of text.
    package var markupAfterNonASCII: [Int] = []
    /// Offsets of a tag's closing `>` right before a non-ASCII byte of text.
    package var tagEndBeforeNonASCII: [Int] = []

    /// Whether `bytes` (a text run of the normal form) holds more than whitespace, where the
    /// references `&#9;`, `&#10;` and `&#13;` are whitespace.
    static func hasNonSpace(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var k = 0
        while k < n {
            let c = b[k]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                k += 1
                continue
            }
            let reference = XHTMLByteScan.whitespaceReferenceLength(b, at: k)
            if reference > 0 {
                k += reference
                continue
            }
            return true
        }
        return false
    }
}
