import Dispatch
import FHIRDefinitions
import FHIRJSON
import FHIRModel
import FHIRXML

/// Reads inputs (files, folders, NDJSON streams, standard input) and validates every resource in
/// them, one ``ValidationReport`` per resource: the reader's issues plus the validator's.
///
/// An input that cannot be read gives a report with its fatal issue (``ValidationReport/unreadable``)
/// and the rest of the batch goes on. Thread-safe; documents of a batch are validated on several
/// threads and reported in input order.
public struct InputValidator: Sendable {
    public let validator: Validator
    public let jsonReader: FHIRJSONReader
    public let xmlReader: FHIRXMLReader
    /// Documents larger than this are refused (NDJSON streams are bounded per line instead).
    public var maxDocumentBytes: Int
    /// Threads for a batch, at most (1: everything on the calling thread). Documents are spread
    /// over the threads; NDJSON lines are parsed in order and validated in batches.
    public var concurrency: Int

    public init(validator: Validator, maxDocumentBytes: Int = 1 << 30, concurrency: Int = 1) {
        self.validator = validator
        let model = validator.context.model
        jsonReader = FHIRJSONReader(model: model)
        xmlReader = FHIRXMLReader(model: model)
        self.maxDocumentBytes = maxDocumentBytes
        self.concurrency = max(1, concurrency)
    }

    // MARK: One resource

    /// Validates a parsed resource: its reader issues plus the validator's.
    /// A document that is not a resource at all (JSON without `resourceType`, XML whose root is
    /// not a resource) cannot be validated: it gives an unreadable report, like bad syntax.
    public func report(for parsed: ParsedResource, file: String, line: Int? = nil) -> ValidationReport {
        guard parsed.root.isResource, parsed.root.typeName != nil else {
            let reason = parsed.issues.first { $0.code == .missingResourceType }
            let issue = Issue(
                .fatal, .missingResourceType, "the input is not a FHIR resource (no resource type)",
                position: reason?.position ?? SourcePosition(line: 1, column: 1))
            return .unreadable(file: file, line: line, issue: issue)
        }
        var issues = parsed.issues
        for i in issues.indices { issues[i].file = nil }
        issues += validator.validate(parsed.root)
        return ValidationReport(
            file: file, line: line, resource: ValidationReport.label(of: parsed.root), issues: issues)
    }

    /// Validates one document (JSON or XML, told from its content). NDJSON content gives one
    /// report per line.
    public func validateDocument(_ bytes: [UInt8], file: String) -> [ValidationReport] {
        switch DocumentKind.detect(bytes) {
        case .empty:
            return [.unreadable(file: file, issue: Self.fatal(.ioRead, "the input is empty"))]
        case .unknown:
            return [.unreadable(file: file, issue: Self.fatal(.ioRead, "the input is neither FHIR JSON nor FHIR XML"))]
        case .ndjson:
            var reports: [ValidationReport] = []
            validateNDJSON(bytes, file: file) { reports.append($0) }
            return reports
        case .json:
            return [read(file: file) { () throws(FHIRFormatError) in try jsonReader.read(bytes) }]
        case .xml:
            return [read(file: file) { () throws(FHIRFormatError) in try xmlReader.read(bytes) }]
        }
    }

    /// Reads and validates a document file.
    public func validateFile(_ path: String) -> [ValidationReport] {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path, maxBytes: maxDocumentBytes)
        } catch {
            return [.unreadable(file: path, issue: Self.fatal(.ioRead, "cannot read the file: \(error.reason)"))]
        }
        return validateDocument(bytes, file: path)
    }

    private func read(file: String, _ parse: () throws(FHIRFormatError) -> ParsedResource) -> ValidationReport {
        do {
            return report(for: try parse(), file: file)
        } catch {
            return .unreadable(file: file, issue: error.issue)
        }
    }

    static func fatal(_ code: IssueCode, _ message: String) -> Issue {
        Issue(.fatal, code, message, position: SourcePosition(line: 1, column: 1))
    }

    // MARK: NDJSON

    /// Streams an NDJSON file (constant memory apart from a batch of lines): one report per
    /// non-blank line, in order; a bad line gives an unreadable report and reading goes on.
    public func validateNDJSON(path: String, _ each: (ValidationReport) -> Void) {
        let records: NDJSONRecords
        do {
            records = try NDJSONReader(model: validator.context.model, limits: jsonReader.limits).records(path: path)
        } catch {
            each(.unreadable(file: path, issue: error.issue))
            return
        }
        var batch: [NDJSONRecord] = []
        let batchSize = concurrency > 1 ? 64 * concurrency : 1
        func flush() {
            let reports = map(batch) { record -> ValidationReport in
                switch record.result {
                case .success(let parsed): report(for: parsed, file: path, line: record.line)
                case .failure(let error): ValidationReport.unreadable(file: path, line: record.line, issue: error.issue)
                }
            }
            batch.removeAll(keepingCapacity: true)
            reports.forEach(each)
        }
        for record in records {
            batch.append(record)
            if batch.count >= batchSize { flush() }
        }
        flush()
    }

    /// NDJSON held in memory (standard input): lines are split here, and positions are shifted to
    /// the line in the whole input.
    public func validateNDJSON(_ bytes: [UInt8], file: String, _ each: (ValidationReport) -> Void) {
        var lines: [(number: Int, range: Range<Int>)] = []
        var start = 0
        var number = 1
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append((number, start..<i))
            start = i + 1
            number += 1
        }
        if start < bytes.count { lines.append((number, start..<bytes.count)) }
        lines.removeAll { line in bytes[line.range].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
        let batchSize = concurrency > 1 ? 64 * concurrency : 1
        var head = 0
        while head < lines.count {
            let slice = Array(lines[head..<min(head + batchSize, lines.count)])
            head += slice.count
            let reports = map(slice) { line -> ValidationReport in
                let shift = line.number - 1
                var result: ValidationReport
                do throws(FHIRFormatError) {
                    let parsed = try jsonReader.read(Array(bytes[line.range]))
                    result = report(for: parsed, file: file, line: line.number)
                } catch {
                    result = .unreadable(file: file, line: line.number, issue: error.issue)
                }
                for i in result.issues.indices {
                    if let p = result.issues[i].position, p.isKnown {
                        result.issues[i].position = SourcePosition(line: Int(p.line) + shift, column: Int(p.column))
                    }
                }
                return result
            }
            reports.forEach(each)
        }
    }

    // MARK: Batches

    /// Validates sources in order, handing each report to `each` as soon as its place in the
    /// order is reached. `standardInput` supplies the bytes of `-` when asked (read once).
    public func validate(
        _ sources: [ValidationSource], standardInput: () -> Result<[UInt8], FHIRFormatError> = { .success([]) },
        _ each: (ValidationReport) -> Void
    ) {
        var pending: [String] = []
        let batchSize = concurrency > 1 ? 8 * concurrency : 1
        func flush() {
            let reports = map(pending) { validateFile($0) }
            pending.removeAll(keepingCapacity: true)
            for list in reports { list.forEach(each) }
        }
        for source in sources {
            switch source {
            case .document(let path):
                pending.append(path)
                if pending.count >= batchSize { flush() }
            case .ndjson(let path):
                flush()
                validateNDJSON(path: path, each)
            case .standardInput:
                flush()
                switch standardInput() {
                case .success(let bytes):
                    validateDocument(bytes, file: ValidationSource.standardInputName).forEach(each)
                case .failure(let error):
                    each(.unreadable(file: ValidationSource.standardInputName, issue: error.issue))
                }
            }
        }
        flush()
    }

    /// Validates documents held in memory (JSON or XML, or NDJSON content), on several threads
    /// when ``concurrency`` > 1; the reports come back in document order.
    public func validate(documents: [(name: String, bytes: [UInt8])]) -> [ValidationReport] {
        map(documents.indices.map { $0 }) { i in validateDocument(documents[i].bytes, file: documents[i].name) }
            .flatMap { $0 }
    }

    /// `transform` over `items` on up to ``concurrency`` threads (workers take the next item as
    /// they finish one), results in order.
    func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: (T) -> R) -> [R] {
        guard concurrency > 1, items.count > 1 else { return items.map(transform) }
        let results = Locked<[R?]>(Array(repeating: nil, count: items.count))
        let next = Locked(0)
        withoutActuallyEscaping(transform) { transform in
            let work = UncheckedSendable(transform)
            DispatchQueue.concurrentPerform(iterations: min(concurrency, items.count)) { _ in
                while true {
                    let i = next.withLock { n in
                        defer { n += 1 }
                        return n
                    }
                    guard i < items.count else { return }
                    let r = work.value(items[i])
                    results.withLock { $0[i] = r }
                }
            }
        }
        return results.withLock { $0.compactMap { $0 } }
    }
}

/// Carries a non-Sendable closure into `concurrentPerform`, which runs it only while `map` waits.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
