import ArgumentParser
import FHIRGate

/// `fhirgate translate`: clinic records -> FHIR R4 (a transaction or collection Bundle, or one
/// file per resource) with the outbound translator.
struct TranslateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Translate clinic records into FHIR R4 resources (a Bundle, or one file per resource).",
        discussion: """
            Inputs are clinic record files (docs/clinic-records.md: .json with one record or an \
            array, .ndjson/.jsonl with one record a line, referral .csv), folders (searched \
            recursively, in sorted order), or '-' for standard input. They are read with the strict \
            reader (a record with an error is reported and left out; the others go on) and checked \
            together (references between records, duplicate ids), then translated: deterministic \
            ids (UUIDv5 of the business identifiers), our profiles in meta.profile, security \
            labels, PHQ-9/GAD-7 totals and doses computed here (differences from supplied values \
            reported), psychotherapy notes never sent, substance use disorder content only when an \
            active 42 CFR Part 2 consent covers --recipient (otherwise withheld, with the reason), \
            and a Provenance for the set.

            Output: --bundle transaction (PUT with our ids, the default) or collection: one Bundle \
            to standard output or the file -o names; --bundle none: one file per resource, \
            <Type>-<id>.json|xml, into the folder -o names (required). --format json (default) or \
            xml.

            The report (record and batch issues with file, line:column and field; translation \
            findings; withheld items and why; counts) goes to standard error when the output is on \
            standard output, else to standard output. --report json makes it one JSON object. It \
            never quotes values from the records.

            --translation-time fixes Provenance.recorded and the day consents must cover; without \
            it the current time is used, so pass it for reproducible output.

            Exit status: 0 when everything was translated, 1 when a record, the batch checks or \
            the translation has an error (what could be translated is still written), 2 when an \
            input cannot be read or parsed, or the arguments are wrong.

            Examples:
              fhirgate translate Samples/records --recipient PR-REF-04-2 --translation-time 2025-09-01T12:00:00Z
              fhirgate translate records.ndjson --format xml --bundle collection -o bundle.xml
              fhirgate translate Samples/records --bundle none -o out/ --report json
            """
    )

    @Argument(help: "Clinic record files or folders, or '-' for standard input.")
    var inputs: [String]

    @Option(help: "Output format of the resources: json or xml.")
    var format: OutputFormat = .json

    @Option(help: "transaction (PUT with our ids), collection, or none (one file per resource into -o).")
    var bundle: BundleKind = .transaction

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "The Bundle file ('-' or absent: standard output), or the folder for --bundle none.", valueName: "out"))
    var output: String?

    @Option(
        help: ArgumentHelp(
            "Who the resources are disclosed to: Practitioner/ID, Organization/ID, or a record id of either.",
            valueName: "id"))
    var recipient: String?

    @Option(
        name: .customLong("translation-time"),
        help: ArgumentHelp("When the translation happens (an R4 instant). Default: now.", valueName: "instant"))
    var translationTime: String?

    @Option(
        name: .customLong("clinic-organization"),
        help: ArgumentHelp("The organization record id of the clinic itself.", valueName: "id"))
    var clinicOrganization = "CLINIC"

    @Option(help: ArgumentHelp("The clinic practitioner recorded as the Provenance author.", valueName: "id"))
    var author: String?

    @Option(
        name: .customLong("clinic-base"),
        help: ArgumentHelp(
            "The clinic's base URL (identifier systems <base>/fhir/sid/...). Default: the translator's.",
            valueName: "url"))
    var clinicBase: String?

    @Option(help: "Report format: text for people, json for programs.")
    var report: ImportReferralsCommand.ReportFormat = .text

    @OptionGroup var packages: PackageCacheOption

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, xml

        var clinic: ClinicOutputFormat { self == .json ? .json : .xml }
    }

    enum BundleKind: String, ExpressibleByArgument, CaseIterable {
        case transaction, collection, none
    }

    func validate() throws {
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input ('-') can be named only once")
        }
        if bundle == .none && (output == nil || output == "-") {
            throw ValidationError("--bundle none writes one file per resource: name a folder with -o")
        }
        if let translationTime, FHIRInstant(translationTime) == nil {
            throw ValidationError(
                "--translation-time needs an R4 instant with seconds and a zone, like 2026-05-01T12:00:00Z")
        }
    }

    func run() throws {
        let model: ModelInfo
        do {
            model = try packages.loadCoreModel()
        } catch {
            printError("fhirgate translate: \(error)")
            throw FHIRGateExit.inputError
        }
        let input = ClinicRecordInput.read(inputs) { try StandardStreams.readStandardInput(maxBytes: 256 << 20) }
        let options = try makeOptions(input.records)
        let translation = ClinicTranslator(model: model, options: options).translate(input.records)

        var report = ClinicReport(command: "translate")
        report.issues = input.issues + translation.issues
        if translation.allResources.isEmpty {
            report.issues.append(
                Issue(.error, MappingIssueCode.notTranslated, "nothing to translate: no records were read"))
        }
        report.count("files", input.files)
        report.count("records", input.records.count)
        report.count("patients", input.count(.patient))
        report.count("resources", translation.allResources.count)
        report.count("withheld", translation.withheld.count)
        if input.unreadable > 0 { report.count("unreadable", input.unreadable) }
        report.extraLines = translation.withheld.map { "withheld: " + $0.description }
        report.extra.append(
            (
                "withheld",
                .array(
                    translation.withheld.map {
                        .object([
                            ("resourceType", .string($0.resourceType)), ("businessId", .string($0.businessId)),
                            ("reason", .string($0.reason.rawValue)),
                        ])
                    })
            ))

        let written = write(translation, model: model, report: &report)
        let toStdout = output != nil && output != "-"
        StandardStreams.write(fd: toStdout ? 1 : 2, report.rendered(self.report == .json ? .json : .text))
        if input.unreadable > 0 || !written { throw FHIRGateExit.inputError }
        if report.errorCount > 0 { throw FHIRGateExit.findings }
    }

    /// The translator's options from the command line; an unknown recipient is a usage error.
    private func makeOptions(_ records: [LocatedRecord]) throws -> ClinicTranslationOptions {
        let time: FHIRInstant
        if let translationTime, let given = FHIRInstant(translationTime) {
            time = given
        } else if let now = WallClock.nowInstant() {
            time = now
        } else {
            printError("fhirgate translate: cannot read the clock; pass --translation-time")
            throw FHIRGateExit.inputError
        }
        var resolved: DisclosureRecipient?
        if let recipient {
            resolved = Self.recipient(recipient, records: records)
            if resolved == nil {
                printError(
                    "fhirgate translate: --recipient: no practitioner or organization record with this id in the input "
                        + "(write Practitioner/ID or Organization/ID for one that is not)")
                throw FHIRGateExit.inputError
            }
        }
        var options = ClinicTranslationOptions(
            translationTime: time, clinicOrganizationId: clinicOrganization, authorPractitionerId: author,
            recipient: resolved)
        if let clinicBase { options.clinicBase = clinicBase }
        return options
    }

    /// `Practitioner/ID`, `Organization/ID`, or an id looked up among the records (practitioners first).
    static func recipient(_ text: String, records: [LocatedRecord]) -> DisclosureRecipient? {
        if text.hasPrefix("Practitioner/") { return .practitioner(String(text.dropFirst("Practitioner/".count))) }
        if text.hasPrefix("Organization/") { return .organization(String(text.dropFirst("Organization/".count))) }
        if records.contains(where: { $0.record.kind == .practitioner && $0.record.id == text }) {
            return .practitioner(text)
        }
        if records.contains(where: { $0.record.kind == .organization && $0.record.id == text }) {
            return .organization(text)
        }
        return nil
    }

    /// Writes the Bundle or the resource files; false when the output cannot be written.
    private func write(_ translation: ClinicTranslation, model: ModelInfo, report: inout ClinicReport) -> Bool {
        let writer = ClinicOutputWriter(model: model)
        do {
            switch bundle {
            case .transaction, .collection:
                let kind: ClinicBundleBuilder.Kind = bundle == .transaction ? .transaction : .collection
                let node = ClinicBundleBuilder(model: model).bundle(translation, kind: kind)
                var bytes = try writer.write(node, as: format.clinic)
                if bytes.last != 0x0A { bytes.append(0x0A) }
                let sink = try OutputSink(path: output)
                sink.write(bytes)
                try sink.finish()
            case .none:
                let folder = output.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "."
                try FileBytes.makeDirectories(folder)
                let files = try writer.files(translation, as: format.clinic)
                for file in files {
                    var bytes = file.bytes
                    if bytes.last != 0x0A { bytes.append(0x0A) }
                    try FileBytes.writeAtomically(bytes, to: folder + "/" + file.name)
                }
                report.count("files written", files.count)
            }
            return true
        } catch let error as FHIRFormatError {
            var issue = error.issue
            issue.severity = .error
            report.issues.append(issue)
            return true
        } catch {
            printError("fhirgate translate: cannot write \(error)")
            return false
        }
    }
}
