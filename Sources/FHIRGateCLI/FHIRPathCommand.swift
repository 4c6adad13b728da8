import ArgumentParser
import FHIRGate

/// `fhirgate fhirpath`: evaluates a FHIRPath expression on a resource and prints the result.
struct FHIRPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhirpath",
        abstract: "Evaluate a FHIRPath expression on a FHIR R4 resource.",
        discussion: """
            The input is a FHIR JSON or XML file (detected from its first non-blank character), or \
            '-' for standard input. The expression is checked against the resource's type before it \
            runs (unknown elements are errors). Without an input the expression is evaluated on an \
            empty collection (for expressions such as `1 + 1` or `today()`).

            Output, one item per line in text format: the FHIRPath type (System.String, \
            FHIR.HumanName...), a tab, and the value (strings and codes as they are, with control \
            characters escaped; dates and times as written; quantities as `4.5 'mg'`; complex \
            elements as compact FHIR JSON). With --format json: one JSON array of \
            {"type": ..., "value": ...} objects, where decimals keep their exact digits, a Quantity \
            value is {"value": ..., "unit": ...} and a complex element is its FHIR JSON object.

            --var NAME=VALUE (repeatable) defines %NAME as the string VALUE.

            Exit status: 0 when the expression was evaluated (even to an empty result), 2 on a \
            syntax, semantic or evaluation error (with its line:column on stderr), or when the input \
            cannot be read or is not FHIR JSON or XML. Problems in the input that do not stop reading \
            (unknown elements) are reported on stderr.
            """
    )

    @Argument(help: "The FHIRPath expression.")
    var expression: String

    @Argument(help: "The resource: a JSON or XML file, or '-' for standard input. Omit to evaluate with no input.")
    var input: String?

    @Option(
        name: .customLong("var"),
        help: ArgumentHelp("Defines %NAME as the string VALUE (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(help: "Output format: text (one item a line) or json (an array of {type, value}).")
    var format: OutputFormat = .text

    @OptionGroup var packages: PackageCacheOption

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    /// The `--var` options as FHIRPath variables.
    func parsedVariables() throws -> [String: [FHIRPathValue]] {
        var result: [String: [FHIRPathValue]] = [:]
        for definition in variables {
            guard let eq = definition.firstIndex(of: "="), eq != definition.startIndex else {
                throw ValidationError("--var needs NAME=VALUE")
            }
            let name = String(definition[..<eq])
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
                throw ValidationError("--var: a variable name has only letters, digits, '_', '-' and '.'")
            }
            result[name] = [.string(String(definition[definition.index(after: eq)...]))]
        }
        return result
    }

    func validate() throws {
        _ = try parsedVariables()
    }

    func run() throws {
        let model: ModelInfo
        do {
            model = try packages.loadCoreModel()
        } catch {
            printError("fhirgate fhirpath: \(error)")
            throw FHIRGateExit.inputError
        }
        let root = try input.map { try readResource($0, model: model) }
        let environment = FHIRPathEnvironment(variables: try parsedVariables())
        let result: [FHIRPathValue]
        do throws(FHIRPathError) {
            let contextType = root.flatMap { $0.isResource ? $0.typeName : nil }
            let compiled = try FHIRPathEngine(model: model).compile(expression, contextType: contextType)
            if let root {
                result = try compiled.evaluate(root, environment: environment)
            } else {
                result = try compiled.evaluate(input: [], environment: environment)
            }
        } catch {
            reportExpressionError(error)
            throw FHIRGateExit.inputError
        }
        let output = FHIRPathResultOutput(model: model)
        switch format {
        case .text: StandardStreams.writeStandardOutput(Array(output.text(result).utf8))
        case .json: StandardStreams.writeStandardOutput(output.json(result))
        }
    }

    /// Reads the input document; any failure is reported and exits 2.
    private func readResource(_ path: String, model: ModelInfo) throws -> ElementNode {
        let name = path == "-" ? "<stdin>" : path
        let bytes: [UInt8]
        do {
            bytes = path == "-" ? try StandardStreams.readStandardInput() : try FileBytes.read(path)
        } catch {
            printError("\(name): cannot read: \(error)")
            throw FHIRGateExit.inputError
        }
        guard let format = FHIRFormat.sniff(bytes) else {
            printError(
                "\(name): \(bytes.isEmpty ? "the input is empty" : "the input is neither FHIR JSON nor FHIR XML")")
            throw FHIRGateExit.inputError
        }
        let parsed: ParsedResource
        do {
            parsed = try ResourceConverter(model: model).read(bytes, as: format)
        } catch {
            var issue = error.issue
            issue.file = name
            printError(issue.description)
            throw FHIRGateExit.inputError
        }
        for issue in parsed.issues {
            var located = issue
            located.file = name
            printError(located.description)
        }
        return parsed.root
    }

    /// The error with its position, and for a one-line expression the expression with a caret.
    private func reportExpressionError(_ error: FHIRPathError) {
        printError("fhirgate fhirpath: \(error)")
        guard !expression.contains("\n"), expression.utf8.count <= 200 else { return }
        let column = max(1, error.location.column)
        let prefix = String(decoding: expression.utf8.prefix(column - 1), as: UTF8.self)
        let pad = String(prefix.map { $0 == "\t" ? "\t" : " " })
        printError("  " + expression)
        printError("  " + pad + "^")
    }
}
