import FHIRModel

/// What a ``TarReader`` reports for each archive entry.
protocol TarEntryHandler: AnyObject {
    func beginFile(path: String, size: Int) throws(PackageError)
    func fileData(_ bytes: UnsafeRawBufferPointer) throws(PackageError)
    func endFile() throws(PackageError)
    func directory(path: String) throws(PackageError)
    func link(path: String, target: String, symbolic: Bool) throws(PackageError)
}

/// Limits for reading a tar stream.
struct TarLimits {
    /// Most entries (of any kind) accepted.
    var maxEntries = 250_000
    /// Largest pax or GNU long-name block accepted.
    var maxMetadataBytes = 1 << 20
    /// Longest entry path accepted, in bytes.
    var maxPathBytes = 4096
}

/// A push parser for tar archives (POSIX ustar, GNU long names and pax extended headers), fed
/// with decompressed bytes in chunks of any size.
///
/// Only regular files, directories and links are reported; other kinds (devices, FIFOs, sparse
/// files) are refused. Checksums are verified. Malformed input throws `DEF-PACKAGE-INVALID`.
final class TarReader {
    private enum State {
        case header
        case fileData(remaining: Int, padding: Int)
        case metadata(kind: UInt8, remaining: Int, padding: Int)
        case skipping(remaining: Int)
        case finished
    }

    private let handler: any TarEntryHandler
    private let limits: TarLimits
    private var state: State = .header
    private var headerBuffer: [UInt8] = []
    private var metadataBuffer: [UInt8] = []
    private var entries = 0
    // Overrides for the next entry (pax `x` records and GNU `L`/`K` blocks).
    private var nextPath: String?
    private var nextLinkPath: String?
    private var nextSize: Int?
    private var sawZeroBlock = false

    init(handler: any TarEntryHandler, limits: TarLimits = TarLimits()) {
        self.handler = handler
        self.limits = limits
        headerBuffer.reserveCapacity(512)
    }

    /// Whether the end-of-archive marker was read.
    var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    func feed(_ input: UnsafeRawBufferPointer) throws(PackageError) {
        var i = 0
        while i < input.count {
            switch state {
            case .finished:
                return  // trailing blocks and record padding are ignored
            case .header:
                let take = min(512 - headerBuffer.count, input.count - i)
                headerBuffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<(i + take)]))
                i += take
                if headerBuffer.count == 512 {
                    try processHeader()
                    headerBuffer.removeAll(keepingCapacity: true)
                }
            case .fileData(let remaining, let padding):
                let take = min(remaining, input.count - i)
                if take > 0 {
                    try handler.fileData(UnsafeRawBufferPointer(rebasing: input[i..<(i + take)]))
                    i += take
                }
                if remaining - take == 0 {
                    try handler.endFile()
                    state = padding > 0 ? .skipping(remaining: padding) : .header
                } else {
                    state = .fileData(remaining: remaining - take, padding: padding)
                }
            case .metadata(let kind, let remaining, let padding):
                let take = min(remaining, input.count - i)
                metadataBuffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<(i + take)]))
                i += take
                if remaining - take == 0 {
                    try processMetadata(kind)
                    state = padding > 0 ? .skipping(remaining: padding) : .header
                } else {
                    state = .metadata(kind: kind, remaining: remaining - take, padding: padding)
                }
            case .skipping(let remaining):
                let take = min(remaining, input.count - i)
                i += take
                state = remaining - take == 0 ? .header : .skipping(remaining: remaining - take)
            }
        }
    }

    /// Checks that the archive ended properly.
    func finish() throws(PackageError) {
        switch state {
        case .finished:
            return
        case .header where headerBuffer.isEmpty && (sawZeroBlock || entries > 0):
            // Missing end-of-archive blocks: accepted, as GNU tar does, when the last entry was complete.
            return
        case .header where entries == 0 && headerBuffer.isEmpty:
            throw PackageError.invalid("the archive is empty")
        default:
            throw PackageError.invalid("the archive is truncated (an entry is incomplete)")
        }
    }

    // MARK: Headers

    private func processHeader() throws(PackageError) {
        let h = headerBuffer
        if h.allSatisfy({ $0 == 0 }) {
            if sawZeroBlock { state = .finished } else { sawZeroBlock = true }
            return
        }
        if sawZeroBlock {
            // A single zero block followed by more entries is malformed.
            throw PackageError.invalid("the archive has an entry after an end-of-archive block")
        }
        entries += 1
        guard entries <= limits.maxEntries else {
            throw PackageError.invalid("the archive has more than \(limits.maxEntries) entries")
        }
        try verifyChecksum(h)
        let typeflag = h[156]
        let fieldSize = try Self.parseNumber(h[124..<136], field: "size")
        let size = nextSize ?? fieldSize
        let padding = (512 - size % 512) % 512

        switch typeflag {
        case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
            guard fieldSize <= limits.maxMetadataBytes else {
                throw PackageError.invalid(
                    "the archive has an extended header larger than \(limits.maxMetadataBytes) bytes")
            }
            metadataBuffer.removeAll(keepingCapacity: true)
            let pad = (512 - fieldSize % 512) % 512
            if fieldSize == 0 {
                try processMetadata(typeflag)
                state = .header
            } else {
                state = .metadata(kind: typeflag, remaining: fieldSize, padding: pad)
            }
            return
        default:
            break
        }

        let path: String
        if let nextPath { path = nextPath } else { path = try headerPath(h) }
        let linkPath: String
        if let nextLinkPath {
            linkPath = nextLinkPath
        } else {
            linkPath = try Self.string(h[157..<257], field: "link name")
        }
        nextPath = nil
        nextLinkPath = nil
        nextSize = nil
        guard path.utf8.count <= limits.maxPathBytes else {
            throw PackageError.invalid("an archive entry path is longer than \(limits.maxPathBytes) bytes")
        }

        switch typeflag {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
            if path.hasSuffix("/") && size == 0 {
                try handler.directory(path: path)  // old archives mark directories this way
                state = .header
                return
            }
            try handler.beginFile(path: path, size: size)
            if size == 0 {
                try handler.endFile()
                state = .header
            } else {
                state = .fileData(remaining: size, padding: padding)
            }
        case UInt8(ascii: "5"):
            try handler.directory(path: path)
            state = size > 0 ? .skipping(remaining: size + padding) : .header
        case UInt8(ascii: "1"), UInt8(ascii: "2"):
            try handler.link(path: path, target: linkPath, symbolic: typeflag == UInt8(ascii: "2"))
            state = size > 0 ? .skipping(remaining: size + padding) : .header
        default:
            let shown = typeflag >= 0x20 && typeflag < 0x7F ? String(UnicodeScalar(typeflag)) : "#\(typeflag)"
            throw PackageError.invalid(
                "archive entry '\(displayName(path))' has unsupported type '\(shown)': only files and directories are allowed"
            )
        }
    }

    private func headerPath(_ h: [UInt8]) throws(PackageError) -> String {
        let name = try Self.string(h[0..<100], field: "name")
        // POSIX ustar ("ustar\0" + "00") has a 155-byte prefix; GNU ("ustar  \0") does not.
        let isPOSIX = h[257..<263].elementsEqual([0x75, 0x73, 0x74, 0x61, 0x72, 0x00])
        guard isPOSIX else { return name }
        let prefix = try Self.string(h[345..<500], field: "prefix")
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    private func verifyChecksum(_ h: [UInt8]) throws(PackageError) {
        let stored = try Self.parseNumber(h[148..<156], field: "checksum")
        var unsigned = 0
        var signed = 0
        for (i, b) in h.enumerated() {
            let v: UInt8 = (148..<156).contains(i) ? 0x20 : b
            unsigned += Int(v)
            signed += Int(Int8(bitPattern: v))
        }
        guard stored == unsigned || stored == signed else {
            throw PackageError.invalid("the archive has a header with a bad checksum (not a tar file, or corrupt)")
        }
    }

    // MARK: Extended headers

    private func processMetadata(_ kind: UInt8) throws(PackageError) {
        defer { metadataBuffer.removeAll(keepingCapacity: true) }
        switch kind {
        case UInt8(ascii: "L"):
            nextPath = try Self.string(metadataBuffer[...], field: "GNU long name")
        case UInt8(ascii: "K"):
            nextLinkPath = try Self.string(metadataBuffer[...], field: "GNU long link name")
        case UInt8(ascii: "x"):
            for (key, value) in try Self.paxRecords(metadataBuffer) {
                switch key {
                case "path": nextPath = value
                case "linkpath": nextLinkPath = value
                case "size":
                    guard let n = Int(value), n >= 0, n <= Int(Int32.max) * 256 else {
                        throw PackageError.invalid("the archive has a pax header with an invalid size")
                    }
                    nextSize = n
                default: break
                }
            }
        default:
            // Global pax headers ('g') only carry defaults we do not use (times, owners).
            _ = try Self.paxRecords(metadataBuffer)
        }
    }

    /// Parses pax records: `<length> <key>=<value>\n`, where length counts the whole record.
    static func paxRecords(_ bytes: [UInt8]) throws(PackageError) -> [(String, String)] {
        var records: [(String, String)] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0 { break }  // trailing NUL padding
            var length = 0
            var j = i
            while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39, j - i < 10 {
                length = length * 10 + Int(bytes[j] - 0x30)
                j += 1
            }
            guard j > i, j < bytes.count, bytes[j] == 0x20, length > j - i + 1, i + length <= bytes.count,
                bytes[i + length - 1] == 0x0A
            else { throw PackageError.invalid("the archive has a malformed pax extended header") }
            let record = bytes[(j + 1)..<(i + length - 1)]
            guard let eq = record.firstIndex(of: UInt8(ascii: "=")) else {
                throw PackageError.invalid("the archive has a malformed pax extended header")
            }
            guard let key = String(validating: record[record.startIndex..<eq], as: UTF8.self),
                let value = String(validating: record[(eq + 1)...], as: UTF8.self)
            else { throw PackageError.invalid("the archive has a pax header that is not UTF-8") }
            records.append((key, value))
            i += length
        }
        return records
    }

    // MARK: Fields

    /// A NUL-terminated text field.
    static func string(_ field: ArraySlice<UInt8>, field name: String) throws(PackageError) -> String {
        let end = field.firstIndex(of: 0) ?? field.endIndex
        guard let s = String(validating: field[field.startIndex..<end], as: UTF8.self) else {
            throw PackageError.invalid("the archive has an entry \(name) that is not UTF-8")
        }
        return s
    }

    /// An octal number field (spaces/NULs around it), or GNU base-256 when the top bit is set.
    static func parseNumber(_ field: ArraySlice<UInt8>, field name: String) throws(PackageError) -> Int {
        guard let first = field.first else { return 0 }
        if first & 0x80 != 0 {
            guard first == 0x80 else { throw PackageError.invalid("the archive has a negative or huge \(name) field") }
            var value = 0
            for b in field.dropFirst() {
                guard value < (Int.max >> 9) else {
                    throw PackageError.invalid("the archive has a \(name) field that is too large")
                }
                value = value << 8 | Int(b)
            }
            return value
        }
        var value = 0
        var digits = 0
        var ended = false
        for b in field {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard !ended else { throw PackageError.invalid("the archive has a malformed \(name) field") }
                value = value * 8 + Int(b - 0x30)
                digits += 1
                guard digits <= 21 else { throw PackageError.invalid("the archive has a malformed \(name) field") }
            case 0x20 where digits == 0:
                continue
            case 0x20, 0:
                ended = true
            default:
                throw PackageError.invalid("the archive has a malformed \(name) field (not a tar file, or corrupt)")
            }
        }
        return value
    }
}
