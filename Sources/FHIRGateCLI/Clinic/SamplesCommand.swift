import ArgumentParser
import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// `fhirgate samples`: synthetic clinic data for tests, demos and benchmarks.
struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Make synthetic clinic records (obviously fictitious people) for tests and benchmarks.",
        subcommands: [SamplesGenerateCommand.self]
    )
}

/// `fhirgate samples generate`: the records of `SyntheticClinicGenerator`, streamed to NDJSON or
/// written as one JSON file per patient.
struct SamplesGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate synthetic clinic records for N patients, the same for the same seed.",
        discussion: """
            The records (clinic record format version 1, docs/clinic-records.md) are the clinic \
            directory (the clinic, its prescribers, nurses and therapists, and the referring \
            practices and psychiatrists), then each patient's whole course: patient, referral, \
            consents (a 42 CFR Part 2 consent for some patients with a substance use diagnosis), an \
            IV induction series with mid-session titration, vitals (sometimes an elevated blood \
            pressure), PHQ-9 and GAD-7 before, during and after, dissociation ratings, side \
            effects, preparation and integration sessions, for some a nasal esketamine or IM \
            maintenance course, and the summary letter. The same --patients and --seed give the \
            same bytes on every machine (no clock, no system randomness); patient i depends only \
            on the seed and i, so the first K patients of a larger run are the same records.

            --format ndjson (the default) streams one record a line, directory first, in constant \
            memory for any N: to standard output, or to DIR/clinic-records.ndjson when -o names a \
            folder (or to the file itself when -o ends in .ndjson or .jsonl). --format json \
            writes one pretty JSON array per file into the folder -o names (required): \
            directory.json, then <patient id>.json for each patient (MRN-000001.json, ...).

            A progress line goes to standard error for 1,000 patients or more when it is a \
            terminal; a summary line (patients, records by kind, where) always goes to standard \
            error.

            Exit status: 0 on success, 2 for wrong arguments or an output that cannot be written.

            Examples:
              fhirgate samples generate --patients 3 --seed 20260 --format json -o Samples/records
              fhirgate samples generate --patients 10000 --seed 7 -o bench-out/
              fhirgate samples generate --patients 2 --seed 1 | fhirgate translate - --translation-time 2026-01-01T00:00:00Z
            """
    )

    @Option(help: ArgumentHelp("How many patients (1 to 10,000,000).", valueName: "n"))
    var patients: Int

    @Option(help: ArgumentHelp("The seed (an unsigned 64-bit number).", valueName: "s"))
    var seed: UInt64

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "The output folder (or, for ndjson, a .ndjson/.jsonl file). Default for ndjson: standard output.",
            valueName: "dir"))
    var output: String?

    @Option(help: "ndjson: one stream of records; json: one JSON file per patient (and directory.json).")
    var format: RecordFileFormat = .ndjson

    enum RecordFileFormat: String, ExpressibleByArgument, CaseIterable {
        case ndjson, json
    }

    /// The NDJSON file written into an output folder.
    static let ndjsonFileName = "clinic-records.ndjson"
    /// The JSON file holding the directory records with --format json.
    static let directoryFileName = "directory.json"

    func validate() throws {
        guard (1...10_000_000).contains(patients) else {
            throw ValidationError("--patients needs a number from 1 to 10,000,000")
        }
        if format == .json && (output == nil || output == "-") {
            throw ValidationError("--format json writes one file per patient: name a folder with -o")
        }
    }

    func run() throws {
        let generator = SyntheticClinicGenerator(patients: patients, seed: seed)
        var tally = RecordTally()
        let progress = GenerateProgress(total: patients)
        let place: String
        do {
            switch format {
            case .ndjson: place = try writeNDJSON(generator, tally: &tally, progress: progress)
            case .json: place = try writeFiles(generator, tally: &tally, progress: progress)
            }
        } catch let error as OutputSink.OpenError {
            progress.finish()
            printError("fhirgate samples generate: cannot write \(error.description)")
            throw FHIRGateExit.inputError
        } catch let error as FileBytes.IOError {
            progress.finish()
            printError("fhirgate samples generate: cannot write \(error.path): \(error.reason)")
            throw FHIRGateExit.inputError
        }
        progress.finish()
        printError(
            "fhirgate samples generate: \(patients) patient\(patients == 1 ? "" : "s"), seed \(seed): "
                + tally.summary + " -> " + place)
    }

    /// Streams every record as NDJSON; returns where it went.
    private func writeNDJSON(
        _ generator: SyntheticClinicGenerator, tally: inout RecordTally, progress: GenerateProgress
    )
        throws -> String
    {
        var path: String? = nil
        if let output, output != "-" {
            let lower = output.lowercased()
            if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") {
                path = output
            } else {
                try FileBytes.makeDirectories(output)
                path = (output.hasSuffix("/") ? String(output.dropLast()) : output) + "/" + Self.ndjsonFileName
            }
        }
        let sink = try OutputSink(path: path)
        let writer = ClinicRecordWriter()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        func emit(_ records: [ClinicRecord]) {
            for record in records {
                buffer += writer.ndjsonLine(record)
                tally.add(record)
            }
            if buffer.count >= 1 << 16 {
                sink.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        emit(generator.directoryRecords)
        for (i, course) in generator.patientCourses.enumerated() {
            emit(course)
            progress.step(i + 1)
        }
        sink.write(buffer)
        try sink.finish()
        return path ?? "standard output"
    }

    /// Writes directory.json and one file per patient; returns the folder.
    private func writeFiles(_ generator: SyntheticClinicGenerator, tally: inout RecordTally, progress: GenerateProgress)
        throws -> String
    {
        let folder = output.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "."
        try FileBytes.makeDirectories(folder)
        let writer = ClinicRecordWriter(pretty: true)
        let directory = generator.directoryRecords
        for record in directory { tally.add(record) }
        try FileBytes.writeAtomically(writer.jsonArray(directory), to: folder + "/" + Self.directoryFileName)
        for (i, course) in generator.patientCourses.enumerated() {
            for record in course { tally.add(record) }
            let name = Self.patientFileName(course, index: i)
            try FileBytes.writeAtomically(writer.jsonArray(course), to: folder + "/" + name)
            progress.step(i + 1)
        }
        return folder + "/"
    }

    /// `<patient id>.json` (the course's patient record), or `patient-<n>.json` without one.
    static func patientFileName(_ course: [ClinicRecord], index: Int) -> String {
        for record in course {
            if case .patient(let p) = record { return p.id + ".json" }
        }
        return "patient-\(index + 1).json"
    }
}

/// Records counted by kind, for the summary line.
struct RecordTally {
    private(set) var total = 0
    private var byKind: [ClinicRecordKind: Int] = [:]

    mutating func add(_ record: ClinicRecord) {
        total += 1
        byKind[record.kind, default: 0] += 1
    }

    func count(_ kind: ClinicRecordKind) -> Int { byKind[kind] ?? 0 }

    /// `1234 records (12 patient, 12 referral, ...)`, kinds in format order.
    var summary: String {
        let parts = ClinicRecordKind.allCases.compactMap { kind in byKind[kind].map { "\($0) \(kind.rawValue)" } }
        return "\(total) record\(total == 1 ? "" : "s") (" + parts.joined(separator: ", ") + ")"
    }
}

/// A progress line on stderr for large runs, only when stderr is a terminal.
final class GenerateProgress {
    private let enabled: Bool
    private let total: Int
    private var shown = false

    init(total: Int) {
        self.total = total
        enabled = total >= 1_000 && isatty(2) == 1
    }

    func step(_ done: Int) {
        guard enabled, done % 500 == 0 || done == total else { return }
        shown = true
        StandardStreams.write(fd: 2, Array("\rgenerated \(done)/\(total) patients".utf8))
    }

    func finish() {
        if shown { StandardStreams.write(fd: 2, Array("\n".utf8)) }
        shown = false
    }
}
