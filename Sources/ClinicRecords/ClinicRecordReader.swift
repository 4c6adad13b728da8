import FHIRModel

/// What reading one input gave: the records that have no error, and every problem found.
public struct ClinicRecordReadResult: Sendable {
    public var records: [LocatedRecord]
    public var issues: [Issue]

    public init(records: [LocatedRecord] = [], issues: [Issue] = []) {
        self.records = records
        self.issues = issues
    }

    /// Whether any issue is an error (or fatal).
    public var hasErrors: Bool { issues.contains { $0.severity <= .error } }
}

/// The strict reader of clinic records (format version 1, `docs/clinic-records.md`).
///
/// Input is a `.json` file holding one record object or an array of them, or an NDJSON file
/// (`.ndjson`, `.jsonl`) with one record per line. Every problem is reported with the file,
/// line:column and field path; a bad record never stops the others (each array element and each
/// NDJSON line stands alone) and a record with any error is left out of the result. Messages name
/// fields and rules, never values. Cross-record checks are a separate step:
/// ``ClinicRecordBatchChecker``.
public struct ClinicRecordReader: Sendable {
    public struct Limits: Sendable {
        /// Largest input accepted, in bytes.
        public var maxBytes: Int
        /// Deepest JSON nesting accepted (records need about 6).
        public var maxDepth: Int
        /// Most records read from one input; the rest are reported and skipped.
        public var maxRecords: Int

        public init(maxBytes: Int = 256 << 20, maxDepth: Int = 32, maxRecords: Int = 1_000_000) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxRecords = maxRecords
        }
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Whether a file name is read as NDJSON (`.ndjson`, `.jsonl`) rather than JSON.
    public static func isNDJSON(fileName: String) -> Bool {
        let lower = fileName.lowercased()
        return lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl")
    }

    /// Reads a file; problems opening it are one `IO-READ` error.
    public func read(fileAtPath path: String) -> ClinicRecordReadResult {
        ClinicRecordReadResult.reading(path, maxBytes: limits.maxBytes) { read($0, fileName: path) }
    }

    /// Reads records from bytes; `fileName` names them in issues and chooses JSON or NDJSON.
    public func read(_ bytes: [UInt8], fileName: String) -> ClinicRecordReadResult {
        if let tooLarge = ClinicRecordReadResult.tooLarge(bytes, maxBytes: limits.maxBytes, file: fileName) {
            return tooLarge
        }
        let diagnostics = RecordDiagnostics(file: fileName)
        var records: [LocatedRecord] = []
        bytes.withUnsafeBufferPointer { buffer in
            if Self.isNDJSON(fileName: fileName) {
                readLines(buffer, fileName: fileName, diagnostics: diagnostics, into: &records)
            } else {
                readDocument(buffer, fileName: fileName, diagnostics: diagnostics, into: &records)
            }
        }
        records = Self.removingDuplicateIds(records, diagnostics: diagnostics)
        return ClinicRecordReadResult(records: records, issues: diagnostics.issues)
    }

    private func readDocument(
        _ buffer: UnsafeBufferPointer<UInt8>, fileName: String, diagnostics: RecordDiagnostics,
        into records: inout [LocatedRecord]
    ) {
        let root: JSONNode
        do {
            root = try JSONNode.parse(
                buffer, startLine: 1, maxDepth: limits.maxDepth, skipByteOrderMark: true)
        } catch {
            diagnostics.fatal(error)
            return
        }
        switch root.value {
        case .object:
            read(root, fileName: fileName, diagnostics: diagnostics, into: &records)
        case .array(let items):
            for item in items {
                guard records.count < limits.maxRecords else {
                    diagnostics.error(
                        .jsonSizeLimit, "more than \(limits.maxRecords) records: the rest are skipped", path: nil,
                        at: item.position)
                    return
                }
                read(item, fileName: fileName, diagnostics: diagnostics, into: &records)
            }
        default:
            diagnostics.error(
                .recordNotAnObject, "a record file holds a JSON object or an array of objects, found \(root.kindName)",
                path: nil, at: root.position)
        }
    }

    private func readLines(
        _ buffer: UnsafeBufferPointer<UInt8>, fileName: String, diagnostics: RecordDiagnostics,
        into records: inout [LocatedRecord]
    ) {
        var lineStart = 0
        var lineNumber = 1
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { lineStart = 3 }
        while lineStart <= buffer.count {
            var lineEnd = lineStart
            while lineEnd < buffer.count && buffer[lineEnd] != 0x0A { lineEnd += 1 }
            let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd])
            if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                guard records.count < limits.maxRecords else {
                    diagnostics.error(
                        .jsonSizeLimit, "more than \(limits.maxRecords) records: the rest are skipped", path: nil,
                        at: SourcePosition(line: lineNumber, column: 1))
                    return
                }
                do {
                    let node = try JSONNode.parse(
                        line, startLine: lineNumber, maxDepth: limits.maxDepth, skipByteOrderMark: false)
                    read(node, fileName: fileName, diagnostics: diagnostics, into: &records)
                } catch {
                    diagnostics.fatal(error)
                }
            }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
    }

    private func read(
        _ node: JSONNode, fileName: String, diagnostics: RecordDiagnostics, into records: inout [LocatedRecord]
    ) {
        if let record = RecordDecoder.read(node, diagnostics: diagnostics) {
            records.append(LocatedRecord(record: record, file: fileName, position: node.position))
        }
    }

    /// Keeps the first record of each (kind, id) and reports the others.
    static func removingDuplicateIds(_ records: [LocatedRecord], diagnostics: RecordDiagnostics) -> [LocatedRecord] {
        var seen: Set<String> = []
        var kept: [LocatedRecord] = []
        for located in records {
            let key = located.record.kind.rawValue + "\u{0}" + located.record.id
            if seen.insert(key).inserted {
                kept.append(located)
            } else {
                diagnostics.error(
                    .recordDuplicateId,
                    "another \(located.record.kind.rawValue) record in this file has the same id (this one is skipped)",
                    path: located.record.kind.rawValue + ".id", at: located.position)
            }
        }
        return kept
    }
}

extension ClinicRecordReadResult {
    /// Reads a file (at most `maxBytes`) and hands its bytes to `read`; a file that cannot be
    /// opened or read is one fatal `IO-READ` issue.
    static func reading(
        _ path: String, maxBytes: Int, _ read: ([UInt8]) -> ClinicRecordReadResult
    ) -> ClinicRecordReadResult {
        do {
            return read(try FileBytes.read(path, maxBytes: maxBytes))
        } catch {
            return ClinicRecordReadResult(issues: [
                Issue(.fatal, .ioRead, "cannot read the file: \(error.reason)", file: path)
            ])
        }
    }

    /// A fatal size-limit result for input over `maxBytes`, else nil.
    static func tooLarge(_ bytes: [UInt8], maxBytes: Int, file: String) -> ClinicRecordReadResult? {
        guard bytes.count > maxBytes else { return nil }
        let diagnostics = RecordDiagnostics(file: file)
        diagnostics.fatal(
            FHIRFormatError(
                .jsonSizeLimit, "input of \(bytes.count) bytes exceeds the limit of \(maxBytes)",
                position: SourcePosition(line: 1, column: 1)))
        return ClinicRecordReadResult(issues: diagnostics.issues)
    }
}
