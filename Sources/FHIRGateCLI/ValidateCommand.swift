import ArgumentParser
import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// `fhirgate validate`: validates FHIR R4 resources offline against their base definitions,
/// their `meta.profile`s and profiles named on the command line.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate FHIR R4 resources offline against their definitions and profiles.",
        discussion: """
            Each input is a FHIR JSON or XML file (told from its content: one resource or a Bundle), \
            an NDJSON file (.ndjson or .jsonl, one resource a line, streamed), a folder (searched \
            recursively for .json, .xml and .ndjson files), or '-' for standard input (a document or \
            NDJSON). Every resource is checked against the base definition of its type, every \
            meta.profile it claims and every --profile; definitions come from the installed \
            packages, the project's Profiles/ folder and --definitions files or folders.

            Output: text by default, grouped by resource (file, or file:line for NDJSON), errors \
            first, each issue with its location (FHIRPath and line:column) and our stable issue code, \
            then a summary line. --format json prints the OperationOutcome when there is a single \
            resource, else one JSON object a line: {"file": ..., "resource": "Type/id", "outcome": \
            {...}} (with "line" for NDJSON). Messages never quote values from the input.

            Exit status: 0 when no resource has errors, 1 when any has errors, 2 when an input could \
            not be read (bad syntax, not FHIR, missing file) or the arguments are wrong.

            Examples:
              fhirgate validate patient.json
              fhirgate validate export.ndjson --format json
              fhirgate validate bundles/ --profile http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient
              fhirgate validate obs.xml --definitions my-profiles/
            """
    )

    @Argument(help: "Input files or folders, or '-' for standard input.")
    var inputs: [String]

    @Option(
        name: .customLong("profile"),
        help: ArgumentHelp(
            "A profile (canonical URL, optionally |version) every resource is also validated against. Repeatable.",
            valueName: "url"))
    var profiles: [String] = []

    @Option(help: "Output format: text for people, json for an OperationOutcome (one JSON object a line for several).")
    var format: OutputFormat = .text

    @Flag(help: "Skip terminology bindings.")
    var noBindings = false

    @Flag(help: "Skip invariants (FHIRPath constraints).")
    var noInvariants = false

    @Flag(
        help: ArgumentHelp(
            "Report raw HTML in markdown values as an error.",
            discussion: """
                FHIR markdown is CommonMark without raw HTML: tags, comments and processing \
                instructions that are not escaped (\\<) or in a code span are escaped or dropped \
                when the text is shown. Autolinks such as <https://...> are allowed.
                """))
    var noHtmlInMarkdown = false

    @Option(
        name: .customLong("reference-resources"),
        help: ArgumentHelp(
            "A file or folder of resources (JSON, XML, NDJSON) that references leaving the input resolve to. Repeatable.",
            valueName: "path"))
    var referenceResources: [String] = []

    @Option(
        name: .customLong("check-references"),
        help: ArgumentHelp(
            "How references that leave the input are checked: syntax, exists or valid.",
            discussion: """
                syntax (the default): their form and the type they name. exists: each relative or \
                urn: reference must resolve, in the input or among the --reference-resources (by \
                Type/id, fullUrl or canonical URL), to a resource of an allowed type; an absolute URL \
                held nowhere locally is reported as not checked. valid: as exists, and the target \
                must conform to one of the element's target profiles.
                """,
            valueName: "level"))
    var checkReferences: ReferenceCheckLevel = .syntax

    @Option(help: ArgumentHelp("Threads for validating several files (default: the number of cores).", valueName: "n"))
    var threads: Int?

    @OptionGroup var definitionOptions: DefinitionOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input ('-') can be named only once")
        }
        if let threads, threads < 1 || threads > 256 {
            throw ValidationError("--threads needs a number from 1 to 256")
        }
    }

    func run() throws {
        let validator = try makeValidator()
        let sources = ValidationSource.expand(inputs)
        if sources.isEmpty {
            printError("fhirgate validate: no .json, .xml or .ndjson files in \(inputs.joined(separator: " "))")
            throw FHIRGateExit.inputError
        }
        // A single document (or standard input) is usually one resource: its reports are held
        // so that --format json can print a bare OperationOutcome when there is just one.
        let buffered: Bool
        switch sources.count == 1 ? sources[0] : nil {
        case .document?, .standardInput?: buffered = true
        default: buffered = false
        }
        let output = ValidateOutput(model: validator.context.model, format: format)
        let progress = ValidateProgress(total: sources.count)
        var tally = ValidateOutput.Tally()
        var held: [ValidationReport] = []
        var inputValidator = InputValidator(validator: validator)
        inputValidator.concurrency = threads ?? Self.processorCount()
        inputValidator.validate(sources, standardInput: Self.readStandardInput) { report in
            tally.add(report)
            progress.step(report)
            if buffered {
                held.append(report)
            } else {
                output.emit(report, single: false)
            }
        }
        progress.finish()
        for report in held { output.emit(report, single: held.count == 1) }
        output.summary(tally)
        if tally.unreadable > 0 { throw FHIRGateExit.inputError }
        if tally.withErrors > 0 { throw FHIRGateExit.findings }
    }

    /// Loads the model and the definitions, and checks that every --profile is known.
    private func makeValidator() throws -> Validator {
        let model: ModelInfo
        do {
            model = try definitionOptions.cache.loadCoreModel()
        } catch {
            printError("fhirgate validate: \(error)")
            throw FHIRGateExit.inputError
        }
        let store = try definitionOptions.loadStore()
        var missingDefinitions = false
        for issue in store.issues {
            printError(issue.description)
            if issue.severity <= .error && (issue.code == .ioRead || issue.code == .packageNotFound) {
                missingDefinitions = true
            }
        }
        if missingDefinitions { throw FHIRGateExit.inputError }
        var unknown = false
        for profile in profiles where store.structureDefinition(url: profile) == nil {
            printError("fhirgate validate: --profile \(profile): no StructureDefinition with this URL is loaded")
            unknown = true
        }
        if unknown { throw FHIRGateExit.inputError }
        let context = ValidationContext(model: model, store: store)
        var options = ValidationOptions(checkBindings: !noBindings, checkInvariants: !noInvariants, profiles: profiles)
        if noHtmlInMarkdown { options.htmlInMarkdown = .error }
        options.referenceCheck = checkReferences
        if !referenceResources.isEmpty {
            for path in referenceResources where !FileBytes.exists(path) {
                printError("fhirgate validate: --reference-resources \(path): no such file or folder")
                throw FHIRGateExit.inputError
            }
            let resources = ReferenceResources(paths: referenceResources, model: model)
            for issue in resources.issues { printError(issue.description) }
            options.referenceResources = resources
        }
        return Validator(context: context, options: options)
    }

    static func readStandardInput() -> Result<[UInt8], FHIRFormatError> {
        do {
            return .success(try StandardStreams.readStandardInput())
        } catch {
            return .failure(FHIRFormatError(.ioRead, "cannot read standard input: \(error)"))
        }
    }

    static func processorCount() -> Int {
        let n = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return min(max(n, 1), 64)
    }
}

extension ReferenceCheckLevel: ExpressibleByArgument {}
