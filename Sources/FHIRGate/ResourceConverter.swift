import FHIRDefinitions
import FHIRJSON
import FHIRModel
import FHIRXML

/// The two FHIR wire formats.
public enum FHIRFormat: String, Sendable, CaseIterable {
    case json, xml

    /// Guesses the format from the first non-blank byte (`{` JSON, `<` XML), skipping a UTF-8 BOM.
    public static func sniff(_ bytes: [UInt8]) -> FHIRFormat? {
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case 0x7B: return .json
            case 0x3C: return .xml
            default: return nil
            }
        }
        return nil
    }
}

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

    /// Converts one document. `target` nil means the other format. NDJSON input is converted line
    /// by line to NDJSON (JSON only); a bad line is reported and the others go on.
    public func convert(_ bytes: [UInt8], name: String, isNDJSON: Bool = false, to target: FHIRFormat?) -> Result {
        if isNDJSON { return convertNDJSON(bytes, to: target) }
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

    private func convertNDJSON(_ bytes: [UInt8], to target: FHIRFormat?) -> Result {
        guard target ?? .json == .json else {
            let issue = Issue(.fatal, .ioRead, "NDJSON input can only be converted to NDJSON (--to json)")
            return Result(bytes: [], format: .json, issues: [issue], failed: true)
        }
        var out: [UInt8] = []
        var issues: [Issue] = []
        var converted = 0
        var lineNumber = 0
        let reader = FHIRJSONReader(model: model)
        let writer = FHIRJSONWriter(model: model, pretty: false)
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            do {
                let parsed = try reader.read(Array(line))
                issues.append(contentsOf: parsed.issues.map { shifted($0, toLine: lineNumber) })
                out.append(contentsOf: writer.write(parsed.root))
                out.append(0x0A)
                converted += 1
            } catch {
                issues.append(shifted(error.issue, toLine: lineNumber))
            }
        }
        return Result(bytes: out, format: .json, issues: issues, failed: converted == 0 && !issues.isEmpty)
    }

    private func shifted(_ issue: Issue, toLine line: Int) -> Issue {
        var copy = issue
        let column = issue.position.map { Int($0.column) } ?? 1
        copy.position = SourcePosition(line: line, column: column)
        return copy
    }
}
