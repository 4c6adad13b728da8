import CZlib
import FHIRModel

/// Streaming gzip (or zlib) decompression with a cap on the total output, so a small hostile
/// archive cannot expand into gigabytes ("decompression bomb"). Concatenated gzip members are
/// decompressed one after the other, as `gunzip` does.
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var initialised = false
    /// Total bytes produced so far.
    private(set) var totalOut = 0
    /// Whether the last member ended cleanly (no partial member pending).
    private(set) var atMemberEnd = false
    let maxOutput: Int

    init(maxOutput: Int) throws(PackageError) {
        self.maxOutput = maxOutput
        self.stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        self.output = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        guard fg_inflate_init_gzip(stream) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            output.deallocate()
            throw PackageError.invalid("cannot initialise gzip decompression")
        }
        initialised = true
    }

    deinit {
        if initialised { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Decompresses one chunk of input, passing every decompressed piece to `sink`.
    func feed(
        _ input: UnsafeRawBufferPointer, _ sink: (UnsafeRawBufferPointer) throws(PackageError) -> Void
    ) throws(PackageError) {
        guard let base = input.baseAddress, input.count > 0 else { return }
        var offset = 0
        while offset < input.count {
            if atMemberEnd {
                // Another gzip member follows; zero padding after the last member is ignored.
                let rest = UnsafeRawBufferPointer(rebasing: input[offset...])
                if rest.allSatisfy({ $0 == 0 }) { return }
                guard inflateReset(stream) == Z_OK else { throw PackageError.invalid("gzip stream cannot be reset") }
                atMemberEnd = false
            }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self) + offset)
            stream.pointee.avail_in = UInt32(input.count - offset)
            var status: Int32 = Z_OK
            repeat {
                stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_out = UInt32(output.count)
                status = inflate(stream, Z_NO_FLUSH)
                let produced = output.count - Int(stream.pointee.avail_out)
                switch status {
                case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                    break
                case Z_NEED_DICT, Z_DATA_ERROR:
                    throw PackageError.invalid("the archive is not valid gzip data (corrupt or not compressed)")
                case Z_MEM_ERROR:
                    throw PackageError.invalid("out of memory while decompressing")
                default:
                    throw PackageError.invalid("gzip decompression failed (zlib status \(status))")
                }
                if produced > 0 {
                    totalOut += produced
                    guard totalOut <= maxOutput else {
                        throw PackageError.invalid(
                            "the archive expands to more than \(maxOutput) bytes; refusing it (possible decompression bomb)"
                        )
                    }
                    try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced]))
                }
                if status == Z_BUF_ERROR && produced == 0 { break }
            } while status != Z_STREAM_END && (stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0)
            let consumed = (input.count - offset) - Int(stream.pointee.avail_in)
            offset += consumed
            if status == Z_STREAM_END {
                atMemberEnd = true
            } else if stream.pointee.avail_in == 0 {
                return
            } else if consumed == 0 {
                throw PackageError.invalid("gzip decompression made no progress")
            }
        }
    }

    /// Checks that the input ended at the end of a gzip member.
    func finish() throws(PackageError) {
        guard atMemberEnd else { throw PackageError.invalid("the archive is truncated (incomplete gzip data)") }
    }
}
