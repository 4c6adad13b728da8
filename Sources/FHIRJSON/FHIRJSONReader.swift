import FHIRModel

/// Reads FHIR R4 JSON (https://hl7.org/fhir/R4/json.html) into the lossless ``ElementNode`` tree.
///
/// One pass from bytes to tree, resolving each key against the ``ModelInfo`` type summaries.
/// Recoverable problems (unknown elements, wrong JSON types, array/single mismatches, nulls,
/// empty values, choice conflicts, missing or unknown `resourceType`) are reported as issues in
/// the ``ParsedResource`` and the data is kept. Syntax errors, invalid UTF-8, duplicate keys and
/// the ``JSONLimits`` are thrown as ``FHIRFormatError`` with a line and column.
///
/// With `model: nil` the reader is untyped: it reads any JSON object and keeps the JSON kinds
/// in the node flags so ``FHIRJSONWriter`` reproduces it.
public struct FHIRJSONReader: Sendable {
    public let model: ModelInfo?
    public var limits: JSONLimits
    /// The model's key tables (compiled once per model and shared by all readers).
    let tables: JSONModelTables?

    public init(model: ModelInfo?, limits: JSONLimits = .default) {
        self.model = model
        self.limits = limits
        tables = model.map { JSONModelTables.tables(for: $0) }
    }

    /// Reads one resource from UTF-8 bytes.
    public func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(FHIRFormatError) -> ParsedResource {
        try read(bytes, startLine: 1)
    }

    /// Reads one resource from UTF-8 bytes.
    public func read(_ bytes: [UInt8]) throws(FHIRFormatError) -> ParsedResource {
        try bytes.withUnsafeBufferPointer { (buffer) throws(FHIRFormatError) -> ParsedResource in
            try read(buffer, startLine: 1)
        }
    }

    /// Reads one resource from a string.
    public func read(_ text: String) throws(FHIRFormatError) -> ParsedResource {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(FHIRFormatError) -> ParsedResource in try read(buffer, startLine: 1) }
        }
        return try result.get()
    }

    /// Reads one resource from a file. Problems opening or reading it are thrown as `IO-READ`;
    /// the file name is attached to every issue and error.
    public func read(fileAtPath path: String) throws(FHIRFormatError) -> ParsedResource {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path, maxBytes: limits.maxBytes)
        } catch {
            throw FHIRFormatError(Issue(.fatal, .ioRead, "cannot read the file: \(error.reason)", file: path))
        }
        do {
            var parsed = try read(bytes)
            for i in parsed.issues.indices { parsed.issues[i].file = path }
            return parsed
        } catch {
            var e = error
            e.issue.file = path
            throw e
        }
    }

    /// Reads from bytes whose first line is line `startLine` of a larger file (NDJSON).
    package func read(_ bytes: UnsafeBufferPointer<UInt8>, startLine: Int) throws(FHIRFormatError) -> ParsedResource {
        guard bytes.count <= limits.maxBytes else {
            throw FHIRFormatError(
                .jsonSizeLimit, "input of \(bytes.count) bytes exceeds the limit of \(limits.maxBytes)",
                position: SourcePosition(line: startLine, column: 1))
        }
        var builder = JSONTreeBuilder(bytes: bytes, limits: limits, tables: tables, startLine: startLine)
        do {
            return try builder.parseDocument()
        } catch {
            throw error.error
        }
    }
}
