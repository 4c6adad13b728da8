import ArgumentParser
import FHIRGate

/// `fhirgate import`: data from outside into the clinic's record format.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import outside data (referrals) as clinic records.",
        subcommands: [ImportReferralsCommand.self]
    )
}

/// `fhirgate import referrals`: a referral CSV export or FHIR referrals -> clinic referral
/// records (patient, referring practitioner and organization, referral) as NDJSON.
struct ImportReferralsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referrals",
        abstract: "Import referrals (a referral CSV, or FHIR referral Bundles/ServiceRequests) as clinic records.",
        discussion: """
            Each input is a referral CSV (.csv, the columns of docs/clinic-records.md, "Referral \
            CSV") or a FHIR referral in JSON or XML: a transaction, collection or message Bundle \
            with a ServiceRequest, its Patient, Practitioner or PractitionerRole, Organization, \
            Conditions and Task, or a single ServiceRequest with contained resources. Every \
            referral becomes four clinic records (organization, practitioner, patient, referral), \
            written as NDJSON (one record a line) to -o or standard output; a patient, practitioner \
            or organization shared by several referrals or inputs is written once.

            Checking is strict and never stops at the first problem: a bad CSV row or a bad \
            referral is reported (file, line and column name for CSV; file and FHIRPath location \
            for FHIR) and gives no records, while the other rows and referrals go on. Messages \
            name places and rules, never values from the input.

            The report (each issue, then a summary) goes to standard output when -o names a file, \
            else to standard error; --format json makes it one JSON object {"command", "counts", \
            "issues": [{"file", "line", "column", "severity", "code", "path", "message"}]}.

            Exit status: 0 when everything was imported, 1 when any row or referral has an error \
            (the others are still written), 2 when an input cannot be read (missing file, bad JSON \
            or XML, a CSV without its header or a required column) or the arguments are wrong.

            Examples:
              fhirgate import referrals Samples/referrals.csv -o referrals.ndjson
              fhirgate import referrals Samples/referral-bundle.json --format json
              fhirgate import referrals export.csv inbox/bundle-1.xml > records.ndjson
            """
    )

    @Argument(help: "Referral CSV files (.csv) and FHIR referral files (JSON or XML).")
    var inputs: [String]

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("The NDJSON file to write ('-' or absent: standard output).", valueName: "file"))
    var output: String?

    @Option(help: "Report format: text for people, json for programs.")
    var format: ReportFormat = .text

    @Option(
        help: ArgumentHelp(
            "The clinic's base URL: identifiers with <base>/fhir/sid/... systems give record ids directly. "
                + "Default: the inbound mapping's.", valueName: "url"))
    var clinicBase: String?

    @OptionGroup var packages: PackageCacheOption

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() throws {
        var report = ClinicReport(command: "import referrals")
        var unreadable = 0
        var imported = ImportedRecords()
        var model: ModelInfo?
        for input in inputs {
            if input.lowercased().hasSuffix(".csv") {
                let result = ReferralCSVImporter().read(fileAtPath: input)
                report.issues += result.issues
                if Self.isUnreadableCSV(result) { unreadable += 1 }
                imported.add(result.records.map(\.record), file: input, report: &report)
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = try FileBytes.read(input, maxBytes: 256 << 20)
            } catch {
                report.issues.append(Issue(.fatal, .ioRead, "cannot read the file: \(error.reason)", file: input))
                unreadable += 1
                continue
            }
            if model == nil {
                do {
                    model = try packages.loadCoreModel()
                } catch {
                    printError("fhirgate import referrals: \(error)")
                    throw FHIRGateExit.inputError
                }
            }
            guard let model else { continue }
            var mapperOptions = InboundReferralOptions()
            if let clinicBase { mapperOptions.clinicBase = clinicBase }
            let mapper = InboundReferralMapper(options: mapperOptions)
            let result = mapper.map(bytes, model: model, fileName: input)
            report.issues += result.issues
            if result.issues.contains(where: { $0.severity == .fatal }) { unreadable += 1 }
            imported.add(result.records, file: input, report: &report)
        }
        report.count("inputs", inputs.count)
        report.count("referrals", imported.records.filter { $0.kind == .referral }.count)
        report.count("records", imported.records.count)
        if unreadable > 0 { report.count("unreadable", unreadable) }

        let sink: OutputSink
        do {
            sink = try OutputSink(path: output)
        } catch {
            printError("fhirgate import referrals: cannot write \(error)")
            throw FHIRGateExit.inputError
        }
        let writer = ClinicRecordWriter()
        var bytes: [UInt8] = []
        for record in imported.records { bytes += writer.ndjsonLine(record) }
        sink.write(bytes)
        do { try sink.finish() } catch {
            printError("fhirgate import referrals: cannot write \(error)")
            throw FHIRGateExit.inputError
        }
        let toStdout = output != nil && output != "-"
        StandardStreams.write(fd: toStdout ? 1 : 2, report.rendered(format == .json ? .json : .text))
        if unreadable > 0 { throw FHIRGateExit.inputError }
        if report.errorCount > 0 { throw FHIRGateExit.findings }
    }

    /// A CSV that gave nothing because it could not be opened or has no usable header.
    static func isUnreadableCSV(_ result: ClinicRecordReadResult) -> Bool {
        if result.issues.contains(where: { $0.code == .ioRead }) { return true }
        return result.records.isEmpty && result.issues.contains { $0.code == .csvHeader && $0.severity <= .error }
    }
}

/// The records of all inputs, each (kind, id) once: the first is kept; a later one with other
/// contents is an error for a referral and a warning for the parties.
struct ImportedRecords {
    private(set) var records: [ClinicRecord] = []
    private var index: [String: Int] = [:]

    mutating func add(_ new: [ClinicRecord], file: String, report: inout ClinicReport) {
        for record in new {
            let key = record.kind.rawValue + "\u{0}" + record.id
            guard let i = index[key] else {
                index[key] = records.count
                records.append(record)
                continue
            }
            guard records[i] != record else { continue }
            let referral = record.kind == .referral
            report.issues.append(
                Issue(
                    referral ? .error : .warning, .recordDuplicateId,
                    referral
                        ? "an earlier input has a referral with the same id (this one is skipped)"
                        : "an earlier input gives this \(record.kind.rawValue) other details; the earlier ones are kept",
                    path: record.kind.rawValue + ".id", file: file))
        }
    }
}
