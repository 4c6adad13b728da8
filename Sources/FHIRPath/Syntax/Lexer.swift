/// Splits FHIRPath text into tokens, skipping whitespace and `//` / `/* */` comments.
///
/// Works on UTF-8 bytes; columns count bytes from 1, offsets count bytes from 0.
public struct FHIRPathLexer: Sendable {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    public init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    /// All tokens of `text`, ending with `.endOfInput`.
    public static func tokenize(_ text: String) throws(FHIRPathError) -> [FHIRPathToken] {
        var lexer = FHIRPathLexer(text)
        var tokens: [FHIRPathToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .endOfInput { return tokens }
        }
    }

    /// The current location.
    public var location: FHIRPathLocation {
        FHIRPathLocation(line: line, column: index - lineStart + 1, offset: index)
    }

    /// The next token (`.endOfInput` forever once the text is used up).
    public mutating func next() throws(FHIRPathError) -> FHIRPathToken {
        try skipTrivia()
        let start = location
        guard let byte = peek() else { return FHIRPathToken(kind: .endOfInput, range: .init(start: start, end: start)) }
        let kind: FHIRPathTokenKind
        if Self.isIdentifierStart(byte) {
            kind = word()
        } else if Self.isDigit(byte) {
            kind = number()
        } else {
            switch byte {
            case UInt8(ascii: "'"):
                kind = .string(try quoted(UInt8(ascii: "'"), what: "string"))
            case UInt8(ascii: "`"):
                kind = .delimitedIdentifier(try quoted(UInt8(ascii: "`"), what: "delimited identifier"))
            case UInt8(ascii: "@"):
                kind = try temporal()
            case UInt8(ascii: "$"):
                kind = try variable()
            case UInt8(ascii: "%"):
                kind = try externalConstant()
            default:
                kind = .symbol(try symbol(byte))
            }
        }
        return FHIRPathToken(kind: kind, range: FHIRPathRange(start: start, end: location))
    }

    // MARK: - Trivia

    private mutating func skipTrivia() throws(FHIRPathError) {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                index += 1
            case UInt8(ascii: "\n"):
                newline()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                while let b = peek(), b != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                let start = location
                index += 2
                while true {
                    guard let b = peek() else { throw syntax("unterminated block comment", at: start) }
                    if b == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                        index += 2
                        break
                    }
                    if b == UInt8(ascii: "\n") { newline() } else { index += 1 }
                }
            default:
                return
            }
        }
    }

    private mutating func newline() {
        index += 1
        line += 1
        lineStart = index
    }

    // MARK: - Words and numbers

    private mutating func identifierText() -> String {
        let start = index
        while let b = peek(), Self.isIdentifierPart(b) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func word() -> FHIRPathTokenKind {
        let text = identifierText()
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if let keyword = FHIRPathKeyword(rawValue: text) { return .keyword(keyword) }
        return .identifier(text)
    }

    private mutating func number() -> FHIRPathTokenKind {
        let start = index
        skipDigits()
        if peek() == UInt8(ascii: "."), let next = peek(1), Self.isDigit(next) {
            index += 1
            skipDigits()
            return .decimal(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        let digits = String(decoding: bytes[start..<index], as: UTF8.self)
        if peek() == UInt8(ascii: "L") && !(peek(1).map(Self.isIdentifierPart) ?? false) {
            index += 1
            return .long(digits)
        }
        return .integer(digits)
    }

    private mutating func skipDigits() {
        while let b = peek(), Self.isDigit(b) { index += 1 }
    }

    // MARK: - Quoted text

    /// A `'...'` or `` `...` `` body with escapes decoded; the cursor is on the opening quote.
    private mutating func quoted(_ quote: UInt8, what: String) throws(FHIRPathError) -> String {
        let start = location
        index += 1
        var out: [UInt8] = []
        while true {
            guard let b = peek() else { throw syntax("unterminated \(what)", at: start) }
            if b == quote {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                try escape(into: &out)
            } else if b == UInt8(ascii: "\n") {
                out.append(b)
                newline()
            } else {
                out.append(b)
                index += 1
            }
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(FHIRPathError) {
        let start = location
        index += 1
        guard let c = peek() else { throw syntax("incomplete escape sequence", at: start) }
        index += 1
        switch c {
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "\\"), UInt8(ascii: "/"):
            out.append(c)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") else {
                    throw syntax("unpaired surrogate in unicode escape", at: start)
                }
                index += 2
                let low = try hex4(escapeStart: start)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw syntax("unpaired surrogate in unicode escape", at: start)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw syntax("unpaired surrogate in unicode escape", at: start)
            }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw syntax("unknown escape sequence", at: start)
        }
    }

    private mutating func hex4(escapeStart: FHIRPathLocation) throws(FHIRPathError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let b = peek(), let digit = Self.hexValue(b) else {
                throw syntax("unicode escape needs four hex digits", at: escapeStart)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    // MARK: - Dates and times

    /// `@DATE`, `@DATE T[TIME[TZ]]` or `@T TIME[TZ]`; the cursor is on `@`. Values are checked later.
    private mutating func temporal() throws(FHIRPathError) -> FHIRPathTokenKind {
        let start = location
        index += 1
        if peek() == UInt8(ascii: "T") {
            index += 1
            let body = index
            guard timeFormat() else { throw syntax("time literal needs at least two-digit hours", at: start) }
            // The grammar gives times no offset; take one anyway so the evaluator can reject it.
            timeZone()
            return .time(String(decoding: bytes[body..<index], as: UTF8.self))
        }
        let body = index
        guard digits(4, ahead: 0) else { throw syntax("date literal needs a four-digit year", at: start) }
        index += 4
        if peek() == UInt8(ascii: "-") && digits(2, ahead: 1) {
            index += 3
            if peek() == UInt8(ascii: "-") && digits(2, ahead: 1) { index += 3 }
        }
        guard peek() == UInt8(ascii: "T") else { return .date(String(decoding: bytes[body..<index], as: UTF8.self)) }
        index += 1
        if timeFormat() { timeZone() }
        return .dateTime(String(decoding: bytes[body..<index], as: UTF8.self))
    }

    /// `HH(:MM(:SS(.fff)?)?)?`; false (consuming nothing) when there are no hours.
    private mutating func timeFormat() -> Bool {
        guard digits(2, ahead: 0) else { return false }
        index += 2
        guard peek() == UInt8(ascii: ":") && digits(2, ahead: 1) else { return true }
        index += 3
        guard peek() == UInt8(ascii: ":") && digits(2, ahead: 1) else { return true }
        index += 3
        if peek() == UInt8(ascii: "."), let d = peek(1), Self.isDigit(d) {
            index += 1
            skipDigits()
        }
        return true
    }

    /// `Z` or `(+|-)HH:MM`, taken only when complete.
    private mutating func timeZone() {
        if peek() == UInt8(ascii: "Z") {
            index += 1
        } else if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-"),
            digits(2, ahead: 1), peek(3) == UInt8(ascii: ":"), digits(2, ahead: 4)
        {
            index += 6
        }
    }

    private func digits(_ count: Int, ahead: Int) -> Bool {
        for i in 0..<count {
            guard let b = peek(ahead + i), Self.isDigit(b) else { return false }
        }
        return true
    }

    // MARK: - Sigils

    private mutating func variable() throws(FHIRPathError) -> FHIRPathTokenKind {
        let start = location
        index += 1
        let name = identifierText()
        guard name == "this" || name == "index" || name == "total" else {
            throw syntax("unknown special variable (expected $this, $index or $total)", at: start)
        }
        return .variable(name)
    }

    private mutating func externalConstant() throws(FHIRPathError) -> FHIRPathTokenKind {
        let start = location
        index += 1
        guard let b = peek() else { throw syntax("'%' must be followed by a constant name", at: start) }
        if Self.isIdentifierStart(b) { return .externalConstant(identifierText()) }
        if b == UInt8(ascii: "`") {
            return .externalConstant(try quoted(b, what: "delimited identifier"))
        }
        if b == UInt8(ascii: "'") { return .externalConstant(try quoted(b, what: "string")) }
        throw syntax("'%' must be followed by a constant name", at: start)
    }

    private mutating func symbol(_ byte: UInt8) throws(FHIRPathError) -> FHIRPathSymbol {
        let start = location
        let pair: String? = peek(1).map { String(decoding: [byte, $0], as: UTF8.self) }
        if let pair, let two = FHIRPathSymbol(rawValue: pair) {
            index += 2
            return two
        }
        if byte < 0x80, let one = FHIRPathSymbol(rawValue: String(UnicodeScalar(byte))) {
            index += 1
            return one
        }
        throw syntax("unexpected character", at: start)
    }

    // MARK: - Helpers

    private func peek(_ ahead: Int = 0) -> UInt8? {
        let i = index + ahead
        return i < bytes.count ? bytes[i] : nil
    }

    func syntax(_ message: String, at location: FHIRPathLocation) -> FHIRPathError {
        FHIRPathError(.syntax, message, at: location)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_")
    }

    static func isIdentifierPart(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }
}
