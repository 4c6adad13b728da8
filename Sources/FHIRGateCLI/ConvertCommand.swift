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
            NDJSON file (.ndjson, one resource a line), or '-' for standard input. Without --to, \
            JSON becomes XML and XML becomes JSON. Problems that do not stop conversion (unknown \
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
        let outputIsDirectory = output.map { inputs.count > 1 && $0 != "-" } ?? false
        if outputIsDirectory, let dir = output {
            do { try FileBytes.makeDirectories(dir) } catch {
                printError("fhirgate convert: \(error)")
                throw FHIRGateExit.inputError
            }
        }
        var unreadable = 0
        var withErrors = 0
        var single: [UInt8] = []
        for input in inputs {
            let name = input == "-" ? "<stdin>" : input
            let bytes: [UInt8]
            do {
                bytes = input == "-" ? try StandardStreams.readStandardInput() : try FileBytes.read(input)
            } catch {
                printError("\(name): cannot read: \(error)")
                unreadable += 1
                continue
            }
            let result = converter.convert(bytes, name: name, isNDJSON: input.hasSuffix(".ndjson"), to: target.map { $0.format })
            for issue in result.issues {
                var located = issue
                located.file = name
                printError(located.description)
            }
            if result.failed {
                unreadable += 1
                continue
            }
            if result.issues.contains(where: { $0.severity <= Issue.Severity.error }) { withErrors += 1 }
            if outputIsDirectory, let dir = output {
                let path = dir + "/" + baseName(input) + "." + result.format.rawValue
                do { try FileBytes.writeAtomically(result.bytes, to: path) } catch {
                    printError("fhirgate convert: \(error)")
                    unreadable += 1
                }
            } else {
                single.append(contentsOf: result.bytes)
                if single.last != 0x0A { single.append(0x0A) }
            }
        }
        if !outputIsDirectory {
            if let path = output, path != "-" {
                do { try FileBytes.writeAtomically(single, to: path) } catch {
                    printError("fhirgate convert: \(error)")
                    throw FHIRGateExit.inputError
                }
            } else {
                StandardStreams.writeStandardOutput(single)
            }
        }
        if unreadable > 0 { throw FHIRGateExit.inputError }
        if strict && withErrors > 0 { throw FHIRGateExit.findings }
    }

    private func baseName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: ".") else { return file }
        return String(file[..<dot])
    }
}
