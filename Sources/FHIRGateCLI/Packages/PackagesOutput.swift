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
