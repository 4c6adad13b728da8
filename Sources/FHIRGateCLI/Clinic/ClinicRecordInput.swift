import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Reads clinic records for `fhirgate translate`: files (`.json`, `.ndjson`, `.jsonl`, referral
/// `.csv`), folders (searched recursively for those, in sorted order) and `-` (standard input:
/// NDJSON, or one JSON document when it starts with `[` or a line holding only `{`), with the
/// strict reader, then the batch checks over everything read.
struct ClinicRecordInput {
    static let extensions = ["json", "ndjson", "jsonl", "csv"]

    var records: [LocatedRecord] = []
    var issues: [Issue] = []
    /// Inputs that could not be read at all, or had a line or document that could not be parsed.
    var unreadable = 0
    var files = 0

    /// Reads every input; `standardInput` supplies the bytes of `-`.
    static func read(_ inputs: [String], standardInput: () throws -> [UInt8]) -> ClinicRecordInput {
        var input = ClinicRecordInput()
        for path in inputs {
            if path == "-" {
                input.files += 1
                do {
                    input.add(Self.readStandardInput(try standardInput()), file: "<stdin>")
                } catch {
                    input.issues.append(Issue(.fatal, .ioRead, "cannot read standard input: \(error)", file: "<stdin>"))
                    input.unreadable += 1
                }
                continue
            }
            let expanded = ClinicInputFiles.expand([path], extensions: extensions)
            for missing in expanded.missing {
                input.issues.append(Issue(.fatal, .ioRead, "no such file or folder", file: missing))
                input.unreadable += 1
            }
            if expanded.missing.isEmpty && expanded.files.isEmpty {
                input.issues.append(
                    Issue(.fatal, .ioRead, "the folder holds no .json, .ndjson, .jsonl or .csv files", file: path))
                input.unreadable += 1
            }
            for file in expanded.files {
                input.files += 1
                let result =
                    file.lowercased().hasSuffix(".csv")
                    ? ReferralCSVImporter().read(fileAtPath: file) : ClinicRecordReader().read(fileAtPath: file)
                input.add(result, file: file)
            }
        }
        input.issues += ClinicRecordBatchChecker.check(input.records)
        return input
    }

    private mutating func add(_ result: ClinicRecordReadResult, file: String) {
        records += result.records
        issues += result.issues
        if result.issues.contains(where: { $0.severity == .fatal }) { unreadable += 1 }
    }

    /// Standard input as NDJSON, or as a JSON document (an array, or one pretty-printed object).
    static func readStandardInput(_ bytes: [UInt8]) -> ClinicRecordReadResult {
        let firstLine = bytes.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: true).first ?? []
        let trimmed = firstLine.filter {
            $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF
        }
        let document = trimmed.first == 0x5B || trimmed == [0x7B]
        var result = ClinicRecordReader().read(bytes, fileName: document ? "<stdin>.json" : "<stdin>.ndjson")
        for i in result.records.indices { result.records[i].file = "<stdin>" }
        for i in result.issues.indices { result.issues[i].file = "<stdin>" }
        return result
    }

    /// The number of records of a kind.
    func count(_ kind: ClinicRecordKind) -> Int {
        records.filter { $0.record.kind == kind }.count
    }
}

/// The current time as an R4 instant in UTC (`2026-05-01T12:00:00Z`), for translations without
/// `--translation-time`.
enum WallClock {
    static func nowInstant() -> FHIRInstant? {
        FHIRInstant(SyncTime.instant(fromMilliseconds: SyncTime.nowMilliseconds()))
    }
}
