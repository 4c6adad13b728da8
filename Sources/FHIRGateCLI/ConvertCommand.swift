import ArgumentParser
import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// `fhirgate convert`: FHIR JSON <-> XML, and re-formatting (compact or pretty).
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert FHIR R4 resources between JSON and XML, or re-format them.",
        discussion: """
            Each input is a FHIR JSON or XML file (detected from its first non-blank character), an \
            NDJSON file (.ndjson, one resource a line, streamed in constant memory to NDJSON), or '-' \
            for standard input. Without --to, JSON becomes XML and XML becomes JSON. Problems that do not stop conversion (unknown \
            elements, wrong JSON types) are reported on stderr with their place; an unreadable input \
            is reported and skipped, and the others are still converted.

            Exit status: 0 when every input was converted, 1 with --strict when any input had \
            error-level findings, 2 when an input could not be read or the arguments are wrong.
            """
    )

    @Argument(help: "Input files, or '-' for standard input.")
    var inputs: [String]

    @Option(name: .customLong("to"), help: "Output format: json or xml (default: the other format).")
    var target: OutputFormat?

    @Flag(help: "Indent the output.")
    var pretty = false

    @Option(
        name: .shortAndLong,
        help: "Output file ('-' for standard output, the default), or a directory when several inputs are given.")
    var output: String?

    @Flag(help: "Exit 1 when any input has error-level findings (unknown elements, wrong types).")
    var strict = false

    @OptionGroup var packages: PackageCacheOption

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, xml

        var format: FHIRFormat { self == .json ? .json : .xml }
    }

    func validate() throws {
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input ('-') can be named only once")
        }
    }

    func run() throws {
        let model: ModelInfo
        do {
            model = try packages.loadCoreModel()
        } catch {
            printError("fhirgate convert: \(error)")
            throw FHIRGateExit.inputError
        }
        let converter = ResourceConverter(model: model, pretty: pretty)
        let outputDirectory = inputs.count > 1 ? output.flatMap { $0 == "-" ? nil : $0 } : nil
        let sink: OutputSink?
        do {
            if let outputDirectory {
                try FileBytes.makeDirectories(outputDirectory)
                sink = nil
            } else {
                sink = try OutputSink(path: output)
            }
        } catch {
            printError("fhirgate convert: \(error)")
            throw FHIRGateExit.inputError
        }
        var tally = Tally()
        for input in inputs {
            if input.hasSuffix(".ndjson") {
                convertNDJSON(input, converter: converter, directory: outputDirectory, sink: sink, tally: &tally)
            } else {
                convertDocument(input, converter: converter, directory: outputDirectory, sink: sink, tally: &tally)
            }
        }
        do { try sink?.finish() } catch {
            printError("fhirgate convert: \(error)")
            throw FHIRGateExit.inputError
        }
        if tally.unreadable > 0 { throw FHIRGateExit.inputError }
        if strict && tally.withErrors > 0 { throw FHIRGateExit.findings }
    }

    private struct Tally {
        var unreadable = 0
        var withErrors = 0
    }

    private func report(_ issues: [Issue], file: String, tally: inout Tally) {
        for issue in issues {
            var located = issue
            located.file = file
            printError(located.description)
        }
        if issues.contains(where: { $0.severity <= Issue.Severity.error }) { tally.withErrors += 1 }
    }

    private func convertDocument(
        _ input: String, converter: ResourceConverter, directory: String?, sink: OutputSink?, tally: inout Tally
    ) {
        let name = input == "-" ? "<stdin>" : input
        let bytes: [UInt8]
        do {
            bytes = input == "-" ? try StandardStreams.readStandardInput() : try FileBytes.read(input)
        } catch {
            printError("\(name): cannot read: \(error)")
            tally.unreadable += 1
            return
        }
        let result = converter.convert(bytes, to: target?.format)
        if result.failed {
            for issue in result.issues {
                var located = issue
                located.file = name
                printError(located.description)
            }
            tally.unreadable += 1
            return
        }
        report(result.issues, file: name, tally: &tally)
        var out = result.bytes
        if out.last != 0x0A { out.append(0x0A) }
        if let directory {
            let path = directory + "/" + baseName(input) + "." + result.format.rawValue
            do { try FileBytes.writeAtomically(out, to: path) } catch {
                printError("fhirgate convert: \(error)")
                tally.unreadable += 1
            }
        } else {
            sink?.write(out)
        }
    }

    /// NDJSON is streamed: each line is converted and written as soon as it is read.
    private func convertNDJSON(
        _ input: String, converter: ResourceConverter, directory: String?, sink: OutputSink?, tally: inout Tally
    ) {
        guard target == nil || target == .json else {
            printError("\(input): NDJSON can only be converted to NDJSON (--to json)")
            tally.unreadable += 1
            return
        }
        do {
            let fileSink = try directory.map { try OutputSink(path: $0 + "/" + baseName(input) + ".ndjson") }
            let summary = try converter.convertNDJSON(path: input) { line in
                (fileSink ?? sink)?.write(line)
            }
            try fileSink?.finish(keep: summary.converted > 0 || summary.failedLines == 0)
            report(summary.issues, file: input, tally: &tally)
            if summary.failedLines > 0 { tally.unreadable += 1 }
        } catch {
            printError("\(input): \(error)")
            tally.unreadable += 1
        }
    }

    private func baseName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: ".") else { return file }
        return String(file[..<dot])
    }
}
