/// Finds raw HTML in markdown text, as CommonMark reads it: an open tag (`<name attr="v">`,
/// `<name/>`), a closing tag (`</name>`), a comment (`<!-- ... -->`), a processing instruction
/// (`<? ... ?>`), a declaration (`<!NAME ...>`) or a CDATA section, outside code spans, fenced
/// and indented code blocks, and not escaped with a backslash. Autolinks (`<https://...>`,
/// `<someone@example.org>`) are not HTML.
///
/// Works on UTF-8 bytes in linear time: a search for a closing delimiter that reaches the end of
/// the text is remembered, so repeated unclosed constructs are not searched again.
struct MarkdownHTMLScanner {
    private let bytes: [UInt8]
    /// Byte ranges of code blocks (fenced or indented): nothing inside them is HTML.
    private var codeBlocks: [Range<Int>] = []
    /// Backtick run lengths with no later run of the same length.
    private var unclosedRuns: Set<Int> = []
    /// Terminators (`-->`, `?>`, `]]>`, `>`, quotes; by their first bytes) known to be absent
    /// from the given offset up to ``memoLimit``.
    private var absentFrom: [UInt32: Int] = [:]
    private var memoLimit = -1

    init(_ text: String) {
        bytes = Array(text.utf8)
        codeBlocks = Self.codeBlocks(bytes)
    }

    /// The byte offset of the first raw HTML construct, or nil when there is none.
    mutating func firstRawHTML() -> Int? {
        var i = 0
        var block = 0
        while i < bytes.count {
            if block < codeBlocks.count, i >= codeBlocks[block].lowerBound {
                i = max(i, codeBlocks[block].upperBound)
                block += 1
                continue
            }
            let limit = block < codeBlocks.count ? codeBlocks[block].lowerBound : bytes.count
            switch bytes[i] {
            case UInt8(ascii: "\\"):
                i += (i + 1 < limit && Self.isPunctuation(bytes[i + 1])) ? 2 : 1
            case UInt8(ascii: "`"):
                i = skipCodeSpan(at: i, limit: limit)
            case UInt8(ascii: "<"):
                if let end = autolinkEnd(at: i, limit: limit) {
                    i = end
                } else if isRawHTML(at: i, limit: limit) {
                    return i
                } else {
                    i += 1
                }
            default:
                i += 1
            }
        }
        return nil
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var i = 0
        while i < offset && i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }

    // MARK: Code spans and blocks

    /// After a code span opened at `start`, or after the backtick run when it is never closed.
    private mutating func skipCodeSpan(at start: Int, limit: Int) -> Int {
        var end = start
        while end < limit && bytes[end] == UInt8(ascii: "`") { end += 1 }
        let length = end - start
        guard !unclosedRuns.contains(length) else { return end }
        var j = end
        while j < limit {
            if bytes[j] == UInt8(ascii: "`") {
                var k = j
                while k < limit && bytes[k] == UInt8(ascii: "`") { k += 1 }
                if k - j == length { return k }
                j = k
            } else {
                j += 1
            }
        }
        unclosedRuns.insert(length)
        return end
    }

    /// Fenced blocks (a line of three or more backticks or tildes, indented at most three
    /// spaces, to a closing fence or the end) and indented blocks (lines indented four spaces or
    /// more after a blank line or at the start).
    private static func codeBlocks(_ bytes: [UInt8]) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var fence: (char: UInt8, length: Int, start: Int)?
        var indentedStart: Int?
        var previousBlank = true
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = min(lineEnd + 1, bytes.count)
            var indent = 0
            var p = lineStart
            while p < lineEnd && (bytes[p] == UInt8(ascii: " ") || bytes[p] == UInt8(ascii: "\t")) {
                indent += bytes[p] == UInt8(ascii: "\t") ? 4 : 1
                p += 1
            }
            let blank = p == lineEnd || (p == lineEnd - 1 && bytes[p] == UInt8(ascii: "\r"))
            var run = 0
            if indent < 4, p < lineEnd, bytes[p] == UInt8(ascii: "`") || bytes[p] == UInt8(ascii: "~") {
                while p + run < lineEnd && bytes[p + run] == bytes[p] { run += 1 }
            }
            if let open = fence {
                if run >= open.length && bytes[p] == open.char {
                    blocks.append(open.start..<next)
                    fence = nil
                }
            } else {
                if let start = indentedStart, !blank && indent < 4 {
                    blocks.append(start..<lineStart)
                    indentedStart = nil
                }
                if indentedStart == nil {
                    if run >= 3 {
                        fence = (bytes[p], run, lineStart)
                    } else if indent >= 4 && !blank && previousBlank {
                        indentedStart = lineStart
                    }
                }
            }
            previousBlank = blank
            lineStart = next
        }
        if let open = fence { blocks.append(open.start..<bytes.count) }
        if let start = indentedStart { blocks.append(start..<bytes.count) }
        return blocks
    }

    // MARK: Autolinks

    /// The offset after an autolink starting at `start` (`<scheme:...>` or `<local@domain>`).
    private func autolinkEnd(at start: Int, limit: Int) -> Int? {
        var i = start + 1
        guard i < limit, Self.isLetter(bytes[i]) else { return emailAutolinkEnd(at: start, limit: limit) }
        while i < limit, Self.isLetter(bytes[i]) || Self.isDigit(bytes[i]) || "+.-".utf8.contains(bytes[i]) { i += 1 }
        let schemeLength = i - start - 1
        if i < limit, bytes[i] == UInt8(ascii: ":"), (2...32).contains(schemeLength) {
            i += 1
            while i < limit, bytes[i] > 0x20, bytes[i] != UInt8(ascii: "<"), bytes[i] != UInt8(ascii: ">") { i += 1 }
            if i < limit, bytes[i] == UInt8(ascii: ">") { return i + 1 }
            return nil
        }
        return emailAutolinkEnd(at: start, limit: limit)
    }

    private func emailAutolinkEnd(at start: Int, limit: Int) -> Int? {
        var i = start + 1
        while i < limit, Self.isLetter(bytes[i]) || Self.isDigit(bytes[i]) || Self.emailLocal.contains(bytes[i]) {
            i += 1
        }
        guard i > start + 1, i < limit, bytes[i] == UInt8(ascii: "@") else { return nil }
        i += 1
        let domainStart = i
        while i < limit,
            Self.isLetter(bytes[i]) || Self.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "-")
                || bytes[i] == UInt8(ascii: ".")
        {
            i += 1
        }
        guard i > domainStart, i < limit, bytes[i] == UInt8(ascii: ">") else { return nil }
        return i + 1
    }

    // MARK: Raw HTML

    private mutating func isRawHTML(at start: Int, limit: Int) -> Bool {
        let i = start + 1
        guard i < limit else { return false }
        let c = bytes[i]
        if Self.isLetter(c) { return isOpenTag(at: i, limit: limit) }
        if c == UInt8(ascii: "/") { return isClosingTag(at: i + 1, limit: limit) }
        if c == UInt8(ascii: "?") { return find("?>", from: i + 1, limit: limit) }
        guard c == UInt8(ascii: "!"), i + 1 < limit else { return false }
        if has("!--", at: i, limit: limit) {
            if has("!-->", at: i, limit: limit) || has("!--->", at: i, limit: limit) { return true }
            return find("-->", from: i + 3, limit: limit)
        }
        if has("![CDATA[", at: i, limit: limit) { return find("]]>", from: i + 8, limit: limit) }
        return Self.isLetter(bytes[i + 1]) && find(">", from: i + 2, limit: limit)
    }

    /// `name (attribute)* whitespace? /? >` from the first letter of the name.
    private mutating func isOpenTag(at nameStart: Int, limit: Int) -> Bool {
        var i = tagNameEnd(nameStart, limit: limit)
        while true {
            let afterSpace = skipWhitespace(i, limit: limit)
            guard afterSpace < limit else { return false }
            let c = bytes[afterSpace]
            if c == UInt8(ascii: ">") { return true }
            if c == UInt8(ascii: "/") { return afterSpace + 1 < limit && bytes[afterSpace + 1] == UInt8(ascii: ">") }
            // An attribute needs whitespace before it.
            guard afterSpace > i, Self.isAttributeNameStart(c) else { return false }
            i = afterSpace + 1
            while i < limit,
                Self.isAttributeNameStart(bytes[i]) || Self.isDigit(bytes[i]) || "-.".utf8.contains(bytes[i])
            {
                i += 1
            }
            let beforeValue = skipWhitespace(i, limit: limit)
            guard beforeValue < limit, bytes[beforeValue] == UInt8(ascii: "=") else { continue }
            let valueStart = skipWhitespace(beforeValue + 1, limit: limit)
            guard valueStart < limit else { return false }
            let quote = bytes[valueStart]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                guard let close = index(of: quote, from: valueStart + 1, limit: limit) else { return false }
                i = close + 1
            } else {
                i = valueStart
                while i < limit, bytes[i] > 0x20, !"\"'=<>`".utf8.contains(bytes[i]) { i += 1 }
                if i == valueStart { return false }
            }
        }
    }

    private func isClosingTag(at nameStart: Int, limit: Int) -> Bool {
        guard nameStart < limit, Self.isLetter(bytes[nameStart]) else { return false }
        let i = skipWhitespace(tagNameEnd(nameStart, limit: limit), limit: limit)
        return i < limit && bytes[i] == UInt8(ascii: ">")
    }

    private func tagNameEnd(_ start: Int, limit: Int) -> Int {
        var i = start + 1
        while i < limit, Self.isLetter(bytes[i]) || Self.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "-") { i += 1 }
        return i
    }

    private func skipWhitespace(_ start: Int, limit: Int) -> Int {
        var i = start
        while i < limit, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        return i
    }

    private func has(_ literal: String, at start: Int, limit: Int) -> Bool {
        var i = start
        for b in literal.utf8 {
            guard i < limit, bytes[i] == b else { return false }
            i += 1
        }
        return true
    }

    /// Whether `terminator` occurs at or after `start` (before `limit`).
    private mutating func find(_ terminator: String, from start: Int, limit: Int) -> Bool {
        let key = memoKey(terminator.utf8, limit: limit)
        if let absent = absentFrom[key], start >= absent { return false }
        var i = start
        while i < limit {
            if has(terminator, at: i, limit: limit) { return true }
            i += 1
        }
        absentFrom[key] = min(start, absentFrom[key] ?? start)
        return false
    }

    private mutating func index(of byte: UInt8, from start: Int, limit: Int) -> Int? {
        let key = memoKey(CollectionOfOne(byte), limit: limit)
        if let absent = absentFrom[key], start >= absent { return nil }
        var i = start
        while i < limit {
            if bytes[i] == byte { return i }
            i += 1
        }
        absentFrom[key] = min(start, absentFrom[key] ?? start)
        return nil
    }

    /// The memo key of a terminator (its first bytes); the memo is for one text segment.
    private mutating func memoKey(_ terminator: some Sequence<UInt8>, limit: Int) -> UInt32 {
        if limit != memoLimit {
            absentFrom.removeAll(keepingCapacity: true)
            memoLimit = limit
        }
        var key: UInt32 = 0
        for b in terminator.prefix(3) { key = key << 8 | UInt32(b) }
        return key
    }

    // MARK: Character classes

    /// Characters of the local part of an email autolink besides letters and digits.
    private static let emailLocal = Set(".!#$%&'*+/=?^_`{|}~-".utf8)

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func isAttributeNameStart(_ b: UInt8) -> Bool {
        isLetter(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
    }

    private static func isPunctuation(_ b: UInt8) -> Bool {
        (0x21...0x2F).contains(b) || (0x3A...0x40).contains(b) || (0x5B...0x60).contains(b)
            || (0x7B...0x7E).contains(b)
    }
}
