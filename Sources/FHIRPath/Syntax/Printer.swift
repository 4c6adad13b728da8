/// Prints an ``FHIRPathExpression`` as canonical FHIRPath text: every operator application is wrapped in
/// parentheses (`1 + 2 * 3` prints `(1 + (2 * 3))`), names are delimited only when they must be,
/// and strings are re-escaped. Parsing the output gives back the same tree shape.
public enum FHIRPathPrinter {
    public static func print(_ expression: FHIRPathExpression) -> String {
        var out = ""
        write(expression, to: &out)
        return out
    }

    private static func write(_ e: FHIRPathExpression, to out: inout String) {
        switch e.kind {
        case .empty: out += "{}"
        case .boolean(let b): out += b ? "true" : "false"
        case .string(let s): out += quote(s, with: "'")
        case .integer(let lexeme), .decimal(let lexeme): out += lexeme
        case .long(let digits): out += digits + "L"
        case .date(let text), .dateTime(let text): out += "@" + text
        case .time(let text): out += "@T" + text
        case .quantity(let value, .ucum(let unit)): out += value + " " + quote(unit, with: "'")
        case .quantity(let value, .calendar(let unit)): out += value + " " + unit
        case .externalConstant(let name): out += "%" + (isPlainIdentifier(name) ? name : quote(name, with: "`"))
        case .variable(let v): out += "$" + v.rawValue
        case .identifier(let name): out += memberName(name)
        case .member(let target, let name):
            write(target, to: &out)
            out += "." + memberName(name)
        case .memberVariable(let target, let v):
            write(target, to: &out)
            out += ".$" + v.rawValue
        case .function(let target, let name, let arguments):
            if let target {
                write(target, to: &out)
                out += "."
            }
            out += functionName(name) + "("
            for (i, argument) in arguments.enumerated() {
                if i > 0 { out += ", " }
                write(argument, to: &out)
            }
            out += ")"
        case .indexer(let target, let index):
            write(target, to: &out)
            out += "["
            write(index, to: &out)
            out += "]"
        case .unary(let op, let operand):
            out += "(" + op.rawValue
            write(operand, to: &out)
            out += ")"
        case .binary(let op, let left, let right):
            out += "("
            write(left, to: &out)
            out += " " + op.rawValue + " "
            write(right, to: &out)
            out += ")"
        case .type(let op, let operand, let type):
            out += "("
            write(operand, to: &out)
            out += " " + op.rawValue + " " + type.components.map(memberName).joined(separator: ".") + ")"
        }
    }

    /// `name` as written, or back-quoted when it is not a plain identifier or is a reserved word.
    public static func memberName(_ name: String) -> String {
        let reserved = name == "true" || name == "false" || FHIRPathKeyword(rawValue: name) != nil
        return isPlainIdentifier(name) && !reserved ? name : quote(name, with: "`")
    }

    private static func functionName(_ name: String) -> String {
        if let keyword = FHIRPathKeyword(rawValue: name), keyword.isIdentifier { return name }
        return memberName(name)
    }

    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, FHIRPathLexer.isIdentifierStart(first) else { return false }
        return name.utf8.allSatisfy(FHIRPathLexer.isIdentifierPart)
    }

    /// `text` between `quote` characters with FHIRPath escapes.
    public static func quote(_ text: String, with quote: Character) -> String {
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0C}": out += "\\f"
            case _ where Character(scalar) == quote: out += "\\" + String(quote)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append(quote)
        return out
    }
}

extension FHIRPathExpression: CustomStringConvertible {
    /// The canonical text (see ``FHIRPathPrinter``).
    public var description: String { FHIRPathPrinter.print(self) }
}
