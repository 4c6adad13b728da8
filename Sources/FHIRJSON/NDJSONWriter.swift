import FHIRModel

/// Writes newline-delimited FHIR JSON: each resource compact on its own line.
///
/// Output is buffered and written with plain POSIX calls; call ``close()`` (or ``flush()``) to
/// be sure everything reached the file and to see write errors.
public final class NDJSONWriter {
    private let writer: FHIRJSONWriter
    private var fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let flushThreshold: Int

    /// Opens `path` for writing; with `append` new lines go after the existing content,
    /// otherwise the file is truncated.
    public init(path: String, model: ModelInfo?, append: Bool = true, bufferSize: Int = 1 << 16)
        throws(FHIRFormatError)
    {
        let fd = POSIXFile.openForWriting(path, append: append)
        guard fd >= 0 else {
            throw FHIRFormatError(
                Issue(.fatal, .ioWrite, "cannot open the file for writing (errno \(POSIXFile.lastError))", file: path)
            )
        }
        self.fd = fd
        ownsDescriptor = true
        writer = FHIRJSONWriter(model: model)
        flushThreshold = max(bufferSize, 1)
        buffer.reserveCapacity(flushThreshold)
    }

    /// Writes to an open file descriptor, which the caller keeps and closes.
    public init(fileDescriptor: Int32, model: ModelInfo?, bufferSize: Int = 1 << 16) {
        fd = fileDescriptor
        ownsDescriptor = false
        writer = FHIRJSONWriter(model: model)
        flushThreshold = max(bufferSize, 1)
        buffer.reserveCapacity(flushThreshold)
    }

    deinit {
        try? flush()
        if ownsDescriptor && fd >= 0 { POSIXFile.closeFile(fd) }
    }

    /// Appends one resource as a line.
    public func write(_ resource: ElementNode) throws(FHIRFormatError) {
        writer.append(resource, to: &buffer)
        buffer.append(0x0A)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes out the buffered lines.
    public func flush() throws(FHIRFormatError) {
        guard !buffer.isEmpty else { return }
        guard fd >= 0 else { throw FHIRFormatError(.ioWrite, "the NDJSON writer is closed") }
        let ok = buffer.withUnsafeBytes { POSIXFile.writeAll(fd, $0) }
        buffer.removeAll(keepingCapacity: true)
        guard ok else { throw FHIRFormatError(.ioWrite, "cannot write the file (errno \(POSIXFile.lastError))") }
    }

    /// Flushes and closes the file (if this writer opened it).
    public func close() throws(FHIRFormatError) {
        defer {
            if ownsDescriptor && fd >= 0 { POSIXFile.closeFile(fd) }
            fd = -1
        }
        try flush()
    }

    /// The NDJSON bytes for a list of resources (one compact line each), without a file.
    public static func encode(_ resources: [ElementNode], model: ModelInfo?) -> [UInt8] {
        let writer = FHIRJSONWriter(model: model)
        var out: [UInt8] = []
        for r in resources {
            writer.append(r, to: &out)
            out.append(0x0A)
        }
        return out
    }
}
