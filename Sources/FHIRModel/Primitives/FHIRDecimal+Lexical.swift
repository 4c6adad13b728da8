/// Reading and writing decimal lexemes.
extension FHIRDecimal {
    /// Where the parts of a decimal lexeme are, once its grammar is checked.
    struct Syntax {
        var negative = false
        var integerPart: Range<Int> = 0..<0
        var fractionPart: Range<Int> = 0..<0
        var exponentNegative = false
        var exponentDigits: Range<Int> = 0..<0
    }

    enum Parsed {
        case valid(negative: Bool, coefficient: [UInt8], exponent: Int)
        case invalid(LexicalFailure)
    }

    /// Checks the grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` without allocating.
    static func scanSyntax(_ b: UnsafeBufferPointer<UInt8>) -> Result<Syntax, LexicalFailure> {
        var syntax = Syntax()
        var i = 0
        let n = b.count
        if n == 0 { return .failure(LexicalFailure("decimal is empty")) }
        if b[i] == ASCII.minus {
            syntax.negative = true
            i += 1
        }
        guard i < n, ASCII.isDigit(b[i]) else {
            return .failure(LexicalFailure("decimal must start with a digit or '-' and a digit"))
        }
        let intStart = i
        if b[i] == ASCII.zero {
            i += 1
            if i < n, ASCII.isDigit(b[i]) {
                return .failure(LexicalFailure("decimal has a leading zero"))
            }
        } else {
            while i < n, ASCII.isDigit(b[i]) { i += 1 }
        }
        syntax.integerPart = intStart..<i
        if i < n, b[i] == ASCII.dot {
            i += 1
            let fracStart = i
            while i < n, ASCII.isDigit(b[i]) { i += 1 }
            guard i > fracStart else {
                return .failure(LexicalFailure("decimal point must be followed by a digit"))
            }
            syntax.fractionPart = fracStart..<i
        }
        if i < n, b[i] | 0x20 == 0x65 {  // e or E
            i += 1
            if i < n, b[i] == ASCII.plus || b[i] == ASCII.minus {
                syntax.exponentNegative = b[i] == ASCII.minus
                i += 1
            }
            let expStart = i
            while i < n, ASCII.isDigit(b[i]) { i += 1 }
            guard i > expStart else { return .failure(LexicalFailure("decimal exponent has no digits")) }
            syntax.exponentDigits = expStart..<i
        }
        guard i == n else { return .failure(LexicalFailure("decimal has unexpected characters")) }
        return .success(syntax)
    }

    /// Parses a lexeme into sign, coefficient and exponent.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Parsed {
        let syntax: Syntax
        switch scanSyntax(b) {
        case .success(let s): syntax = s
        case .failure(let f): return .invalid(f)
        }
        var writtenExponent = 0
        for i in syntax.exponentDigits {
            writtenExponent = writtenExponent * 10 + Int(b[i] &- ASCII.zero)
            if writtenExponent > maxExponentMagnitude {
                return .invalid(LexicalFailure("decimal exponent is beyond the supported range"))
            }
        }
        if syntax.exponentNegative { writtenExponent = -writtenExponent }
        var coefficient: [UInt8] = []
        coefficient.reserveCapacity(syntax.integerPart.count + syntax.fractionPart.count)
        for i in syntax.integerPart where !(coefficient.isEmpty && b[i] == ASCII.zero) {
            coefficient.append(b[i] &- ASCII.zero)
        }
        for i in syntax.fractionPart where !(coefficient.isEmpty && b[i] == ASCII.zero) {
            coefficient.append(b[i] &- ASCII.zero)
        }
        return .valid(
            negative: syntax.negative, coefficient: coefficient,
            exponent: writtenExponent - syntax.fractionPart.count)
    }

    /// Why `lexeme` is not a valid decimal, or `nil` when it is. Grammar only: no range limit.
    static func lexicalFailure(_ lexeme: String) -> LexicalFailure? {
        withUTF8Bytes(lexeme) { b in
            if case .failure(let f) = scanSyntax(b) { return f }
            return nil
        }
    }

    /// Plain decimal notation: no exponent, keeping the decimal places a negative exponent states.
    static func plainString(negative: Bool, coefficient: [UInt8], exponent: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(coefficient.count + Swift.abs(exponent) + 3)
        if negative { out.append(ASCII.minus) }
        if coefficient.isEmpty {
            out.append(ASCII.zero)
            if exponent < 0 {
                out.append(ASCII.dot)
                out.append(contentsOf: repeatElement(ASCII.zero, count: -exponent))
            }
            return String(decoding: out, as: UTF8.self)
        }
        if exponent >= 0 {
            out.append(contentsOf: coefficient.lazy.map { $0 + ASCII.zero })
            out.append(contentsOf: repeatElement(ASCII.zero, count: exponent))
            return String(decoding: out, as: UTF8.self)
        }
        let pointAt = coefficient.count + exponent  // digits before the point
        if pointAt > 0 {
            out.append(contentsOf: coefficient[..<pointAt].lazy.map { $0 + ASCII.zero })
            out.append(ASCII.dot)
            out.append(contentsOf: coefficient[pointAt...].lazy.map { $0 + ASCII.zero })
        } else {
            out.append(ASCII.zero)
            out.append(ASCII.dot)
            out.append(contentsOf: repeatElement(ASCII.zero, count: -pointAt))
            out.append(contentsOf: coefficient.lazy.map { $0 + ASCII.zero })
        }
        return String(decoding: out, as: UTF8.self)
    }
}
