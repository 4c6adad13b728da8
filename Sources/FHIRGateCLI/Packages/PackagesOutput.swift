import FHIRGate
import Foundation

/// Output helpers for the package commands: messages on stderr and a small JSON writer for
/// the `--format json` results.
enum PackagesOutput {
    static func error(_ message: String) {
        writeStandardError("error: " + message + "\n")
    }

    static func warning(_ message: String) {
        writeStandardError("warning: " + message + "\n")
    }

    static func writeStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The message of an issue with its code (`DEF-PACKAGE-INVALID: ...`) and file.
    static func describe(_ issue: Issue) -> String {
        var text = "[\(issue.code.rawValue)] \(issue.message)"
        if let file = issue.file { text += " (\(file))" }
        return text
    }
}

/// A JSON value for command output, written with stable key order.
indirect enum PackagesJSON {
    case string(String)
    case number(Int)
    case bool(Bool)
    case null
    case array([PackagesJSON])
    case object([(String, PackagesJSON)])

    static func optional(_ s: String?) -> PackagesJSON { s.map { .string($0) } ?? .null }

    /// Pretty-printed JSON with two-space indentation and a final newline.
    var text: String {
        var out = ""
        write(into: &out, indent: 0)
        return out + "\n"
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch self {
        case .string(let s): Self.escape(s, into: &out)
        case .number(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += closePad + "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += pad
                Self.escape(key, into: &out)
                out += ": "
                value.write(into: &out, indent: indent + 1)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += closePad + "}"
        }
    }

    /// RFC 8259 string escaping.
    static func escape(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
