import FHIRModel

/// Reads the referral CSV staff export from spreadsheets (columns: ``ReferralCSVColumn``).
///
/// A header row is required (names trimmed, any case; unknown and duplicate columns are errors,
/// missing required columns stop the import). Each data row becomes a patient, a practitioner
/// (id `npi-<referrer_npi>`), an organization (id `npi-<referrer_org_npi>`) and a referral
/// record, checked by the same rules as JSON records; problems name the file, line, and column.
/// A bad row never stops the others. Patients, practitioners and organizations repeated on
/// several rows are kept once (a repeat with different details is a warning).
public struct ReferralCSVImporter: Sendable {
    public var limits: ClinicRecordReader.Limits

    public init(limits: ClinicRecordReader.Limits = ClinicRecordReader.Limits()) {
        self.limits = limits
    }

    public func read(fileAtPath path: String) -> ClinicRecordReadResult {
        ClinicRecordReadResult.reading(path, maxBytes: limits.maxBytes) { read($0, fileName: path) }
    }

    public func read(_ bytes: [UInt8], fileName: String) -> ClinicRecordReadResult {
        if let tooLarge = ClinicRecordReadResult.tooLarge(bytes, maxBytes: limits.maxBytes, file: fileName) {
            return tooLarge
        }
        let diagnostics = RecordDiagnostics(file: fileName)
        var parser = CSVParser(bytes)
        var header: [ReferralCSVColumn?]?
        var output = RowOutput(fileName: fileName)
        var rowCount = 0
        while let next = parser.nextRow() {
            let row: CSVRow
            switch next {
            case .failure(let error):
                diagnostics.fatal(error)
                continue
            case .success(let r):
                row = r
            }
            if row.isBlank { continue }
            guard let columns = header else {
                header = readHeader(row, diagnostics: diagnostics)
                if header == nil { return ClinicRecordReadResult(issues: diagnostics.issues) }
                continue
            }
            rowCount += 1
            guard rowCount <= limits.maxRecords else {
                diagnostics.error(
                    .jsonSizeLimit, "more than \(limits.maxRecords) rows: the rest are skipped", path: nil,
                    at: SourcePosition(line: row.line, column: 1))
                break
            }
            guard row.fields.count == columns.count else {
                diagnostics.error(
                    .csvFieldCount, "the row has \(row.fields.count) fields, the header \(columns.count)", path: nil,
                    at: SourcePosition(line: row.line, column: 1))
                continue
            }
            var cells: [ReferralCSVColumn: CSVField] = [:]
            for (column, field) in zip(columns, row.fields) {
                if let column, !field.text.allSatisfy({ $0 == " " || $0 == "\t" }) { cells[column] = field }
            }
            readRow(cells, line: row.line, diagnostics: diagnostics, output: &output)
        }
        if header == nil {
            diagnostics.error(
                .csvHeader, "the file has no header row", path: nil, at: SourcePosition(line: 1, column: 1))
        }
        return ClinicRecordReadResult(records: output.records, issues: diagnostics.issues)
    }

    /// Maps header names to columns; nil when a required column is missing.
    private func readHeader(_ row: CSVRow, diagnostics: RecordDiagnostics) -> [ReferralCSVColumn?]? {
        var columns: [ReferralCSVColumn?] = []
        var seen: Set<ReferralCSVColumn> = []
        for field in row.fields {
            let name = field.text.trimmingSpaces().lowercased()
            guard let column = ReferralCSVColumn(rawValue: name) else {
                let message = name.isEmpty ? "an empty column name" : "unknown column (see the documented columns)"
                diagnostics.error(.csvHeader, message, path: name.isEmpty ? nil : name, at: field.position)
                columns.append(nil)
                continue
            }
            if !seen.insert(column).inserted {
                diagnostics.error(.csvHeader, "the column appears twice", path: name, at: field.position)
                columns.append(nil)
                continue
            }
            columns.append(column)
        }
        let missing = ReferralCSVColumn.required.filter { !seen.contains($0) }
        for column in missing {
            diagnostics.error(
                .csvHeader, "required column is missing from the header", path: column.rawValue,
                at: SourcePosition(line: row.line, column: 1))
        }
        return missing.isEmpty ? columns : nil
    }

    /// The records made so far, each id kept once.
    struct RowOutput {
        var fileName: String
        var records: [LocatedRecord] = []
        var index: [String: Int] = [:]

        /// Adds a record unless one of its kind and id is there; returns false for a repeat that
        /// contradicts the first (another referral, or another name, birth date or gender: a row
        /// that only leaves optional cells empty is no contradiction).
        mutating func add(_ record: ClinicRecord, line: Int) -> Bool {
            let key = record.kind.rawValue + "\u{0}" + record.id
            if let i = index[key] { return !Self.contradicts(records[i].record, record) }
            index[key] = records.count
            records.append(
                LocatedRecord(record: record, file: fileName, position: SourcePosition(line: line, column: 1)))
            return true
        }

        static func contradicts(_ first: ClinicRecord, _ later: ClinicRecord) -> Bool {
            switch (first, later) {
            case (.patient(let a), .patient(let b)):
                a.name != b.name || a.birthDate != b.birthDate || a.gender != b.gender
            case (.practitioner(let a), .practitioner(let b)):
                a.name != b.name || a.organizationId != b.organizationId
            case (.organization(let a), .organization(let b)):
                a.name != b.name
            default:
                first != later
            }
        }
    }

    private func readRow(
        _ cells: [ReferralCSVColumn: CSVField], line: Int, diagnostics: RecordDiagnostics, output: inout RowOutput
    ) {
        let rowDiagnostics = RecordDiagnostics(file: diagnostics.file)
        let rowPosition = SourcePosition(line: line, column: 1)
        let nodes = ReferralRowNodes(cells: cells, rowPosition: rowPosition)
        if nodes.reasonTextCountMismatch, let cell = cells[.reasonText] {
            rowDiagnostics.error(
                .recordInvalidValue, "reason_text needs one semicolon-separated text per reason_icd10 code",
                path: ReferralCSVColumn.reasonText.rawValue, at: cell.position)
        }
        var made: [ClinicRecord] = []
        for node in [nodes.patient(), nodes.practitioner(), nodes.organization(), nodes.referral()] {
            if let record = RecordDecoder.read(node, diagnostics: rowDiagnostics) { made.append(record) }
        }
        for issue in rowDiagnostics.issues {
            var issue = issue
            if let path = issue.path, let column = ReferralCSVColumn.column(forPath: path) {
                issue.path = column.rawValue
            }
            if issue.severity <= .error {
                diagnostics.error(issue.code, issue.message, path: issue.path, at: issue.position)
            } else {
                diagnostics.warning(issue.code, issue.message, path: issue.path, at: issue.position)
            }
        }
        // A row with any error gives no records at all: a referral without its patient is no use.
        guard rowDiagnostics.errorCount == 0 else { return }
        for record in made where !output.add(record, line: line) {
            let column: ReferralCSVColumn =
                switch record.kind {
                case .patient: .patientMrn
                case .practitioner: .referrerNpi
                case .organization: .referrerOrgNpi
                default: .referralId
                }
            if record.kind == .referral {
                diagnostics.error(
                    .recordDuplicateId, "another row has the same referral_id (this row is skipped)",
                    path: column.rawValue, at: rowPosition)
            } else {
                diagnostics.warning(
                    .recordDuplicateId,
                    "an earlier row has the same \(column.rawValue) with another name or details; the earlier row's are kept",
                    path: column.rawValue, at: rowPosition)
            }
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}
