import FHIRDefinitions
import FHIRJSON
import FHIRModel
import FHIRXML

/// Reads FHIR in one format and writes it in another (or the same, re-formatted): the engine of
/// `fhirgate convert`, usable from any program that embeds FHIRGate.
public struct ResourceConverter: Sendable {
    public let model: ModelInfo
    public let pretty: Bool

    public init(model: ModelInfo, pretty: Bool = false) {
        self.model = model
        self.pretty = pretty
    }

    public struct Result: Sendable {
        /// The converted document (empty when `failed`).
        public var bytes: [UInt8]
        /// The format written.
        public var format: FHIRFormat
        /// Everything found while reading: recoverable issues, and the fatal one when `failed`.
        public var issues: [Issue]
        /// Whether the input (or, for NDJSON, every line) could not be read at all.
        public var failed: Bool
    }

    /// Converts one document. `target` nil means the other format.
    public func convert(_ bytes: [UInt8], to target: FHIRFormat?) -> Result {
        guard let source = FHIRFormat.sniff(bytes) else {
            let issue = Issue(
                .fatal, .ioRead, bytes.isEmpty ? "the input is empty" : "the input is neither FHIR JSON nor FHIR XML",
                position: SourcePosition(line: 1, column: 1))
            return Result(bytes: [], format: target ?? .json, issues: [issue], failed: true)
        }
        let format = target ?? (source == .json ? .xml : .json)
        do {
            let parsed = try read(bytes, as: source)
            let out = try write(parsed.root, as: format)
            return Result(bytes: out, format: format, issues: parsed.issues, failed: false)
        } catch {
            return Result(bytes: [], format: format, issues: [error.issue], failed: true)
        }
    }

    /// What an NDJSON conversion did.
    public struct StreamSummary: Sendable {
        public var converted = 0
        public var failedLines = 0
        public var issues: [Issue] = []
    }

    /// Converts an NDJSON file line by line, in constant memory: each converted resource is handed
    /// to `emit` as one compact JSON line (with its newline) as soon as it is read. A bad line is
    /// reported (with its real line number) and the others go on.
    public func convertNDJSON(path: String, emit: ([UInt8]) throws -> Void) throws -> StreamSummary {
        var summary = StreamSummary()
        let writer = FHIRJSONWriter(model: model, pretty: false)
        for record in try NDJSONReader(model: model).records(path: path) {
            switch record.result {
            case .success(let parsed):
                summary.issues.append(contentsOf: parsed.issues)
                var line = writer.write(parsed.root)
                line.append(0x0A)
                try emit(line)
                summary.converted += 1
            case .failure(let error):
                summary.issues.append(error.issue)
                summary.failedLines += 1
            }
        }
        return summary
    }

    /// Reads a document in a known format.
    public func read(_ bytes: [UInt8], as format: FHIRFormat) throws(FHIRFormatError) -> ParsedResource {
        switch format {
        case .json: try FHIRJSONReader(model: model).read(bytes)
        case .xml: try FHIRXMLReader(model: model).read(bytes)
        }
    }

    /// Writes a tree in a format.
    public func write(_ root: ElementNode, as format: FHIRFormat) throws(FHIRFormatError) -> [UInt8] {
        switch format {
        case .json:
            return FHIRJSONWriter(model: model, pretty: pretty).write(root)
        case .xml:
            return try FHIRXMLWriter(model: model, pretty: pretty).write(root)
        }
    }
}
