#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The faithful normal form of narrative XHTML (what ``XHTMLNarrative/normalized(_:limits:)``
/// writes after parsing with libxml2) computed byte by byte, for the plain narratives that
/// almost every resource carries: one root element whose first attribute declares the XHTML
/// namespace as the default, unprefixed ASCII names, no other namespace declarations, text and
/// attribute values with only the predefined entities and character references, comments.
/// Most such narratives are already in normal form, and then the input string itself is the
/// answer (no copy); `<p></p>` becomes `<p/>`, `&quot;` in text becomes `"`, tags lose their
/// layout, as the libxml2 path does.
///
/// It answers only when it is sure that the input is well-formed and that libxml2 would accept
/// it and give the same text; anything else (prefixes, DOCTYPE, CDATA, processing instructions,
/// other entities, carriage returns, non-XML characters, deep nesting, large input) is `nil`,
/// and the caller parses with libxml2, which also words the errors.
/// `XHTMLQuickNormalizerTests` compares both on the official examples and on tricky input.
struct XHTMLQuickNormalizer {
    /// The normal form of `xhtml`, or nil when libxml2 must decide.
    static func normalized(_ xhtml: String, limits: XMLLimits) -> String? {
        recording(xhtml, limits: limits)?.text
    }

    /// The normal form of `xhtml` and its markup as written (nil when the markup could not be
    /// recorded faithfully), or nil when libxml2 must decide.
    static func recording(_ xhtml: String, limits: XMLLimits) -> (text: String, markup: XHTMLMarkupRecord?)? {
        var markup: XHTMLMarkupRecord?
        let outcome =
            xhtml.utf8.withContiguousStorageIfAvailable { bytes -> Outcome in
                var normalizer = XHTMLQuickNormalizer(bytes: bytes, maxDepth: min(limits.maxDepth, maxDepth))
                guard bytes.count <= min(limits.maxBytes, maxBytes), normalizer.run() else { return .undecided }
                if normalizer.recordValid { markup = normalizer.record }
                return normalizer.copying ? .changed(String(decoding: normalizer.out, as: UTF8.self)) : .unchanged
            } ?? .undecided
        switch outcome {
        case .undecided: return nil
        case .unchanged: return (xhtml, markup)
        case .changed(let text): return (text, markup)
        }
    }

    private enum Outcome {
        case undecided
        /// The input is in normal form already.
        case unchanged
        case changed(String)
    }

    /// Deeper nesting and larger input are left to libxml2 (its own limits and messages).
    static let maxDepth = 100
    static let maxBytes = 4 << 20
    static let maxNameLength = 200

    let b: UnsafeBufferPointer<UInt8>
    let n: Int
    private let depthLimit: Int
    /// While the output equals the input so far: how much of the input it is.
    private var identityEnd = 0
    /// Set once the output differs from the input; `out` then holds all of it.
    private(set) var copying = false
    private(set) var out: [UInt8] = []
    /// The open elements, as ranges of their names in the input.
    private var open: [Range<Int>] = []
    /// The input offset of the `>` of a start tag not written yet (content or `/>` decides).
    private var pendingClose: Int?
    var scratch: [UInt8] = []
    /// The attribute names of the current start tag: the first `attributeCount` (the array is
    /// reused from tag to tag, not emptied).
    private var attributes: [Range<Int>] = []
    private var attributeCount = 0
    var escaped: [UInt8] = []
    /// The markup written so far (offsets into the output).
    private(set) var record = XHTMLMarkupRecord()
    /// False once something was written that the record may not describe faithfully.
    var recordValid = true
    /// Whether the markup written last is a start or end tag (not a comment).
    private var afterTag = false

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        b = bytes
        n = bytes.count
        depthLimit = maxDepth
        // (Room for the usual markup at once: growing by doubling from one took five copies per
        // narrative.)
        record.tags.reserveCapacity(n / 16 + 8)
        record.attributes.reserveCapacity(n / 64 + 4)
        open.reserveCapacity(16)
    }

    // MARK: - Output

    /// How many bytes the output holds.
    @inline(__always)
    private var outputCount: Int { copying ? out.count : identityEnd }

    /// Writes the input bytes `from..<to` unchanged.
    @inline(__always)
    mutating func keep(_ from: Int, _ to: Int) {
        if !copying {
            if from == identityEnd {
                identityEnd = to
                return
            }
            startCopying()
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[from..<to]))
    }

    /// Writes bytes that are not the input's at this place.
    mutating func write(_ bytes: [UInt8]) {
        if !copying { startCopying() }
        out.append(contentsOf: bytes)
    }

    mutating func write(_ byte: UInt8) {
        if !copying { startCopying() }
        out.append(byte)
    }

    private mutating func startCopying() {
        copying = true
        out.reserveCapacity(n + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[0..<identityEnd]))
    }

    /// Writes the `>` of the start tag waiting for content.
    private mutating func closePending() {
        if let gt = pendingClose {
            keep(gt, gt + 1)
            pendingClose = nil
        }
    }

    // MARK: - Reading

    private mutating func run() -> Bool {
        guard n > 0, b[0] == 0x3C else { return false }
        var i = 0
        while i < n {
            if open.isEmpty && i > 0 {
                // After the root only whitespace may follow (and is not part of the form).
                while i < n {
                    guard Self.isSpace(b[i]) else { return false }
                    i += 1
                }
                return true
            }
            if b[i] != 0x3C {
                guard let next = text(from: i) else { return false }
                i = next
                continue
            }
            guard i + 1 < n else { return false }
            switch b[i + 1] {
            case 0x21:  // <!-- (CDATA and DOCTYPE are left to libxml2)
                guard !open.isEmpty, let next = comment(at: i) else { return false }
                i = next
            case 0x2F:
                guard let next = endTag(at: i) else { return false }
                i = next
            default:
                guard let next = startTag(at: i) else { return false }
                i = next
            }
        }
        return open.isEmpty && i > 0
    }

    /// The text run starting at `start` (up to the next `<`); the offset after it.
    private mutating func text(from start: Int) -> Int? {
        guard !open.isEmpty else { return nil }
        closePending()
        var k = start
        var plain = true
        while k < n {
            // (Runs without markup, references, controls or U+FFFE/F's first byte: skipped.)
            k = XHTMLByteScan.firstMarked(b, from: k, to: n, 0x3C, 0x26, 0x3E, 0xEF, 0xEF, high: false)
            guard k < n else { break }
            let c = b[k]
            if c == 0x3C { break }
            if c < 0x20 {
                guard c == 0x09 || c == 0x0A || c == 0x0D else { return nil }
                if c == 0x0D { plain = false }
            } else if c == 0x26 || c == 0x3E {
                plain = false
            } else if c == 0xEF && Self.isNonCharacter(b, k) {
                return nil
            }
            k += 1
        }
        guard k < n else { return nil }
        let outStart = outputCount
        if plain {
            keep(start, k)
            let run = UnsafeBufferPointer(rebasing: b[start..<k])
            noteText(run, from: outStart)
            return k
        }
        guard decode(start, k, inAttribute: false) else { return nil }
        if !emitEscaped(start, k, inAttribute: false) { recordValid = false }
        escaped.withUnsafeBufferPointer { noteText($0, from: outStart) }
        return k
    }

    /// Records the text run `run` written at output offset `outStart` (its end is a `<`).
    @inline(__always)
    private mutating func noteText(_ run: UnsafeBufferPointer<UInt8>, from outStart: Int) {
        guard let first = run.first, let last = run.last else { return }
        if !record.hasText && XHTMLMarkupRecord.hasNonSpace(run) { record.hasText = true }
        if last >= 0x80 { record.markupAfterNonASCII.append(outStart + run.count) }
        if first >= 0x80 && afterTag { record.tagEndBeforeNonASCII.append(outStart - 1) }
    }

    /// A comment inside the root: the offset after it.
    private mutating func comment(at start: Int) -> Int? {
        guard start + 4 <= n, b[start + 2] == 0x2D, b[start + 3] == 0x2D else { return nil }
        var k = start + 4
        var lineEnds = false
        while k + 1 < n {
            let c = b[k]
            if c == 0x2D && b[k + 1] == 0x2D {
                // `--` may only end the comment, and not after a `-` of its content.
                guard k + 2 < n, b[k + 2] == 0x3E, k == start + 4 || b[k - 1] != 0x2D else { return nil }
                closePending()
                record.hasComment = true
                afterTag = false
                if lineEnds {
                    // CR LF and a lone CR read as LF.
                    var text: [UInt8] = []
                    var p = start
                    while p < k + 3 {
                        if b[p] == 0x0D {
                            if b[p + 1] != 0x0A { text.append(0x0A) }
                        } else {
                            text.append(b[p])
                        }
                        p += 1
                    }
                    write(text)
                } else {
                    keep(start, k + 3)
                }
                return k + 3
            }
            if c < 0x20 {
                guard c == 0x09 || c == 0x0A || c == 0x0D else { return nil }
                if c == 0x0D { lineEnds = true }
            } else if c == 0xEF && Self.isNonCharacter(b, k) {
                return nil
            }
            k += 1
        }
        return nil
    }

    /// An end tag `</name>` (whitespace allowed before `>`) closing the innermost element.
    private mutating func endTag(at start: Int) -> Int? {
        guard let name = open.popLast() else { return nil }
        let nameStart = start + 2
        guard let nameEnd = Self.nameEnd(b, from: nameStart), nameEnd - nameStart == name.count,
            Self.same(b, nameStart, name.lowerBound, name.count)
        else { return nil }
        var k = nameEnd
        while k < n && Self.isSpace(b[k]) { k += 1 }
        guard k < n, b[k] == 0x3E else { return nil }
        afterTag = true
        if pendingClose != nil {
            pendingClose = nil
            write([0x2F, 0x3E])
        } else {
            keep(start, nameEnd)
            keep(k, k + 1)
        }
        return k + 1
    }

    /// A start tag: the offset after it.
    private mutating func startTag(at start: Int) -> Int? {
        let isRoot = open.isEmpty
        closePending()
        afterTag = true
        guard let nameEnd = Self.nameEnd(b, from: start + 1) else { return nil }
        let nameOut = outputCount + 1
        keep(start, nameEnd)
        let tagName = nameOut..<(nameOut + nameEnd - start - 1)
        let firstAttribute = record.attributes.count
        var k = nameEnd
        attributeCount = 0
        while true {
            let gap = k
            while k < n && Self.isSpace(b[k]) { k += 1 }
            guard k < n else { return nil }
            if b[k] == 0x3E {
                guard open.count < depthLimit, !(isRoot && attributeCount == 0) else { return nil }
                open.append((start + 1)..<nameEnd)
                pendingClose = k
                record.tags.append(XHTMLMarkupTag(name: tagName, attributes: firstAttribute..<record.attributes.count))
                return k + 1
            }
            if b[k] == 0x2F {
                guard k + 1 < n, b[k + 1] == 0x3E, open.count < depthLimit else { return nil }
                if isRoot { return nil }  // (a root without content: rare, left to libxml2)
                keep(k, k + 2)
                record.tags.append(XHTMLMarkupTag(name: tagName, attributes: firstAttribute..<record.attributes.count))
                return k + 2
            }
            guard k > gap, let attributeEnd = Self.nameEnd(b, from: k) else { return nil }
            let attribute = k..<attributeEnd
            // No duplicates; `xmlns` only as the root's first attribute, declaring XHTML.
            for p in 0..<attributeCount where attributes[p].count == attribute.count {
                if Self.same(b, attributes[p].lowerBound, k, attribute.count) { return nil }
            }
            let isNamespace = Self.equals(b, attribute, "xmlns")
            if isNamespace && !(isRoot && attributeCount == 0) { return nil }
            if isRoot && attributeCount == 0 && !isNamespace { return nil }
            if attributeCount < attributes.count {
                attributes[attributeCount] = attribute
            } else {
                attributes.append(attribute)
            }
            attributeCount += 1
            k = attributeEnd
            while k < n && Self.isSpace(b[k]) { k += 1 }
            guard k < n, b[k] == 0x3D else { return nil }
            k += 1
            while k < n && Self.isSpace(b[k]) { k += 1 }
            guard k < n, b[k] == 0x22 || b[k] == 0x27 else { return nil }
            let quote = b[k]
            let valueStart = k + 1
            k = valueStart
            // A plain value (no references, nothing escaped or normalised) is written as is.
            var plain = true
            var nonASCII = false
            while k < n {
                k = XHTMLByteScan.firstMarked(b, from: k, to: n, quote, 0x22, 0x26, 0x3C, 0x3E, high: true)
                guard k < n, b[k] != quote else { break }
                // (Other non-ASCII bytes than U+FFFE/F's first are plain.)
                if b[k] >= 0x80 { nonASCII = true }
                if b[k] < 0x80 || b[k] == 0xEF { plain = false }
                k += 1
            }
            guard k < n else { return nil }
            if !plain || isNamespace {
                guard decode(valueStart, k, inAttribute: true) else { return nil }
                if isNamespace && !scratch.elementsEqual(Self.xhtmlNamespace) { return nil }
            }
            // ` name="value"` as the normal form writes it.
            let nameOutStart = outputCount + 1
            if quote == 0x22 && attribute.lowerBound == gap + 1 && b[gap] == 0x20 && attributeEnd + 1 == valueStart - 1
            {
                keep(gap, attributeEnd + 2)
            } else {
                write(0x20)
                keep(attribute.lowerBound, attributeEnd)
                write([0x3D, 0x22])
            }
            let valueOut = nameOutStart + attribute.count + 2
            var reference = false
            if plain {
                keep(valueStart, k)
            } else {
                if !emitEscaped(valueStart, k, inAttribute: true) { recordValid = false }
                // (The value written is `escaped`.)
                nonASCII = false
                for c in escaped {
                    if c == 0x26 { reference = true } else if c >= 0x80 { nonASCII = true }
                }
            }
            if nonASCII { record.nonASCIIValue = true }
            record.attributes.append(
                XHTMLMarkupAttribute(
                    name: nameOutStart..<(nameOutStart + attribute.count), value: valueOut..<outputCount,
                    hasReference: reference))
            if quote == 0x22 { keep(k, k + 1) } else { write(0x22) }
            k += 1
        }
    }

    // (The readers of bytes below are static: a non-mutating method called from a mutating one
    // copied the whole normaliser, with a retain of each of its arrays, for every name.)

    /// The end of the ASCII NCName (without `:`) starting at `start` of `b`, or nil.
    @inline(__always)
    private static func nameEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let n = b.count
        guard start < n, Self.isNameStart(b[start]) else { return nil }
        var k = start + 1
        while k < n && Self.isNameByte(b[k]) { k += 1 }
        guard k - start <= Self.maxNameLength, k < n, b[k] != 0x3A, b[k] < 0x80 else { return nil }
        return k
    }

    /// Whether the bytes `range` of `b` are `ascii`.
    @inline(__always)
    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ ascii: StaticString) -> Bool {
        guard range.count == ascii.utf8CodeUnitCount, let base = b.baseAddress else { return false }
        return memcmp(base + range.lowerBound, ascii.utf8Start, range.count) == 0
    }

    /// Whether the bytes of `b` at `x` and at `y` agree for `count` bytes.
    @inline(__always)
    static func same(_ b: UnsafeBufferPointer<UInt8>, _ x: Int, _ y: Int, _ count: Int) -> Bool {
        guard count > 0, let base = b.baseAddress else { return count == 0 }
        return memcmp(base + x, base + y, count) == 0
    }
}
