import FHIRModel

/// A problem with a FHIR package: a bad reference, a missing or invalid package, a checksum
/// mismatch. It carries one ``Issue`` (code `DEF-PACKAGE-*`) so callers can report it like any
/// other finding. Messages name packages, files and entries, never resource content.
public struct PackageError: Error, Sendable, CustomStringConvertible {
    public var issue: Issue

    public init(_ code: IssueCode, _ message: String, file: String? = nil) {
        self.issue = Issue(.fatal, code, message, file: file)
    }

    public var code: IssueCode { issue.code }
    public var message: String { issue.message }
    public var description: String { issue.description }

    static func invalid(_ message: String, file: String? = nil) -> PackageError {
        PackageError(.packageInvalid, message, file: file)
    }
}

/// Makes a name taken from an input (a tar entry name, a package id) safe to show in a message:
/// control characters are replaced and the text is shortened.
func displayName(_ text: String, limit: Int = 160) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        if out.unicodeScalars.count >= limit {
            out += "…"
            break
        }
        if scalar.value < 0x20 || scalar.value == 0x7F || (scalar.value >= 0x80 && scalar.value < 0xA0) {
            out += "?"
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}
