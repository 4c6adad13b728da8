import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Prints validation reports for `fhirgate validate`: readable text (grouped by resource, errors
/// first, with locations), one OperationOutcome for a single resource, or one JSON object a line.
struct ValidateOutput {
    let writer: FHIRJSONWriter
    let prettyWriter: FHIRJSONWriter
    let format: ValidateCommand.OutputFormat

    init(model: ModelInfo, format: ValidateCommand.OutputFormat) {
        writer = FHIRJSONWriter(model: model)
        prettyWriter = FHIRJSONWriter(model: model, pretty: true)
        self.format = format
    }

    /// Counts over every report, for the summary and the exit status.
    struct Tally {
        var resources = 0
        var withErrors = 0
        var unreadable = 0
        var errors = 0
        var warnings = 0
        var information = 0
        var files: Set<String> = []

        mutating func add(_ report: ValidationReport) {
            files.insert(report.file)
            if report.unreadable {
                unreadable += 1
            } else {
                resources += 1
                if report.hasErrors { withErrors += 1 }
            }
            errors += report.errorCount
            warnings += report.warningCount
            information += report.informationCount
        }
    }

    /// Prints one report: `single` means it is the only one (JSON: a bare OperationOutcome).
    func emit(_ report: ValidationReport, single: Bool) {
        switch format {
        case .text:
            StandardStreams.writeStandardOutput(Array(text(report).utf8))
        case .json:
            var bytes: [UInt8]
            if single {
                bytes = prettyWriter.write(ElementNode.operationOutcome(report.issues))
            } else {
                bytes = jsonLine(report).serialized()
            }
            if bytes.last != 0x0A { bytes.append(0x0A) }
            StandardStreams.writeStandardOutput(bytes)
        }
    }

    /// `{"file": ..., ["line": n,] "resource": "Type/id" | null, "outcome": {...}}`.
    func jsonLine(_ report: ValidationReport) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("file", .string(report.file))]
        if let line = report.line { pairs.append(("line", .number(line))) }
        pairs.append(("resource", .optional(report.resource)))
        pairs.append(("outcome", writer.writeValue(ElementNode.operationOutcome(report.issues))))
        return .object(pairs)
    }

    /// A header line for the resource, then one line per issue (most severe first).
    func text(_ report: ValidationReport) -> String {
        var out = report.location
        out += "  " + (report.resource ?? (report.unreadable ? "(unreadable)" : "(no resource type)"))
        out += "  " + counts(report) + "\n"
        for issue in report.issues {
            out += "  " + Self.padded(issue.severity.rawValue, 11)
            if let p = issue.position, p.isKnown {
                out += Self.padded("\(p.line):\(p.column)", 9)
            } else {
                out += Self.padded("-", 9)
            }
            if let path = issue.path, !path.isEmpty { out += path + ": " }
            out += Self.oneLine(issue.message) + "  [" + issue.code.rawValue + "]\n"
        }
        return out
    }

    private func counts(_ report: ValidationReport) -> String {
        if report.unreadable { return "unreadable" }
        let parts = [
            Self.plural(report.errorCount, "error"), Self.plural(report.warningCount, "warning"),
            report.informationCount > 0 ? "\(report.informationCount) information" : "",
        ].filter { !$0.isEmpty }
        return parts.isEmpty ? "OK" : parts.joined(separator: ", ")
    }

    /// The closing line: on stdout for text, on stderr for JSON (so stdout stays JSON).
    func summary(_ tally: Tally) {
        var line = "\(Self.plural(tally.resources, "resource", always: true)) in "
        line += "\(Self.plural(tally.files.count, "file", always: true)): "
        line += "\(tally.withErrors) with errors; "
        line += "\(Self.plural(tally.errors, "error", always: true)), "
        line += "\(Self.plural(tally.warnings, "warning", always: true)), \(tally.information) information"
        if tally.unreadable > 0 { line += "; \(tally.unreadable) unreadable" }
        switch format {
        case .text: StandardStreams.writeStandardOutput(Array((line + "\n").utf8))
        case .json: printError("fhirgate validate: " + line)
        }
    }

    static func plural(_ n: Int, _ word: String, always: Bool = false) -> String {
        if n == 0 && !always { return "" }
        return "\(n) \(word)\(n == 1 ? "" : "s")"
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// Messages are one line each in the listing.
    static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return String(text.map { $0.isNewline ? " " : $0 })
    }
}

/// A progress line on stderr while many files are validated, shown only when stderr is a
/// terminal and stdout is not (so it never mixes with the report).
final class ValidateProgress {
    private let enabled: Bool
    private let total: Int
    private var done = 0
    private var lastFile: String?

    init(total: Int) {
        self.total = total
        enabled = total > 20 && isatty(2) == 1 && isatty(1) == 0
    }

    func step(_ report: ValidationReport) {
        guard enabled, report.file != lastFile else { return }
        lastFile = report.file
        done += 1
        if done % 25 == 0 || done == total {
            StandardStreams.write(fd: 2, Array("\rvalidated \(done)/\(total) inputs".utf8))
        }
    }

    func finish() {
        if enabled && done > 0 { StandardStreams.write(fd: 2, Array("\n".utf8)) }
    }
}
