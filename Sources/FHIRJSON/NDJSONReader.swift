import FHIRModel

/// The result of reading one non-empty line of an NDJSON file.
public struct NDJSONRecord: Sendable {
    /// The 1-based line number in the file.
    public var line: Int
    /// The resource, or the fatal error for this line (its position names the file line).
    public var result: Result<ParsedResource, FHIRFormatError>

    public init(line: Int, result: Result<ParsedResource, FHIRFormatError>) {
        self.line = line
        self.result = result
    }
}

/// Reads newline-delimited FHIR JSON (one resource per line, as in Bulk Data exports).
///
/// The file is read in fixed-size chunks, so memory stays bounded by the chunk size plus the
/// longest line (and a line longer than `limits.maxBytes` is skipped, not buffered). Every
/// non-empty line yields one ``NDJSONRecord``; a bad line yields its error and reading goes on.
/// Positions in issues and errors carry the line number in the file.
public struct NDJSONReader: Sendable {
    public var reader: FHIRJSONReader
    /// Bytes read from the file at a time.
    public var chunkSize: Int

    public init(model: ModelInfo?, limits: JSONLimits = .default, chunkSize: Int = 1 << 16) {
        reader = FHIRJSONReader(model: model, limits: limits)
        self.chunkSize = max(chunkSize, 1)
    }

    /// Opens a file and returns its records as a sequence (the file is closed at the end).
    public func records(path: String) throws(FHIRFormatError) -> NDJSONRecords {
        let fd = POSIXFile.openForReading(path)
        guard fd >= 0 else {
            throw FHIRFormatError(
                Issue(.fatal, .ioRead, "cannot open the file (errno \(POSIXFile.lastError))", file: path))
        }
        return NDJSONRecords(reader: reader, fd: fd, ownsDescriptor: true, chunkSize: chunkSize)
    }

    /// Reads records from an open file descriptor (which the caller keeps and closes).
    public func records(fileDescriptor: Int32) -> NDJSONRecords {
        NDJSONRecords(reader: reader, fd: fileDescriptor, ownsDescriptor: false, chunkSize: chunkSize)
    }

    /// Calls `body` with each record of a file, in order.
    public func forEach(path: String, _ body: (NDJSONRecord) throws -> Void) throws {
        for record in try records(path: path) { try body(record) }
    }
}

/// The records of one NDJSON stream; iterate it once.
public final class NDJSONRecords: Sequence, IteratorProtocol {
    private let reader: FHIRJSONReader
    private var fd: Int32
    private let ownsDescriptor: Bool
    private var chunk: [UInt8]
    private var chunkStart = 0
    private var chunkEnd = 0
    private var endOfFile = false
    private var line: [UInt8] = []
    /// The line being collected is longer than the limit; its bytes are dropped.
    private var oversized = false
    private var lineNumber = 0
    private var failed = false

    init(reader: FHIRJSONReader, fd: Int32, ownsDescriptor: Bool, chunkSize: Int) {
        self.reader = reader
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
        chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit { closeIfOwned() }

    private func closeIfOwned() {
        if ownsDescriptor && fd >= 0 { POSIXFile.closeFile(fd) }
        fd = -1
    }

    public func next() -> NDJSONRecord? {
        while !failed {
            if chunkStart < chunkEnd {
                let newline = chunk.withUnsafeBufferPointer { buf -> Int? in
                    guard let base = buf.baseAddress else { return nil }
                    var i = chunkStart
                    while i < chunkEnd {
                        if base[i] == 0x0A { return i }
                        i += 1
                    }
                    return nil
                }
                if let newline {
                    collect(chunkStart..<newline)
                    chunkStart = newline + 1
                    lineNumber += 1
                    if let record = finishLine() { return record }
                    continue
                }
                collect(chunkStart..<chunkEnd)
                chunkStart = chunkEnd
            }
            if endOfFile {
                guard !line.isEmpty || oversized else { return nil }
                lineNumber += 1
                if let record = finishLine() { return record }
                return nil
            }
            let n = chunk.withUnsafeMutableBytes { POSIXFile.readSome(fd, into: $0) }
            if n < 0 {
                failed = true
                closeIfOwned()
                let error = FHIRFormatError(
                    .ioRead, "cannot read the file (errno \(POSIXFile.lastError))",
                    position: SourcePosition(line: lineNumber + 1, column: 1))
                return NDJSONRecord(line: lineNumber + 1, result: .failure(error))
            }
            if n == 0 {
                endOfFile = true
                closeIfOwned()
            }
            chunkStart = 0
            chunkEnd = n
        }
        return nil
    }

    private func collect(_ range: Range<Int>) {
        guard !range.isEmpty, !oversized else { return }
        if line.count + range.count > reader.limits.maxBytes {
            oversized = true
            line.removeAll(keepingCapacity: false)
            return
        }
        line.append(contentsOf: chunk[range])
    }

    /// Parses the collected line; nil for a blank line.
    private func finishLine() -> NDJSONRecord? {
        defer {
            line.removeAll(keepingCapacity: true)
            oversized = false
        }
        let number = lineNumber
        if oversized {
            let error = FHIRFormatError(
                .jsonSizeLimit, "line exceeds the limit of \(reader.limits.maxBytes) bytes",
                position: SourcePosition(line: number, column: 1))
            return NDJSONRecord(line: number, result: .failure(error))
        }
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        let result = line.withUnsafeBufferPointer { buffer in
            Result { () throws(FHIRFormatError) -> ParsedResource in try reader.read(buffer, startLine: number) }
        }
        return NDJSONRecord(line: number, result: result)
    }
}
