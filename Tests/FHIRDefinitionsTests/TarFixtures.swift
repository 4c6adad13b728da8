import CZlib
import Foundation

/// Builds tar archives byte by byte for the installer tests, including hostile ones (path
/// traversal, links, bad checksums) that a normal `tar` would refuse to create.
struct TarBuilder {
    private(set) var bytes: [UInt8] = []

    enum Magic {
        case posix, gnu, v7
    }

    mutating func file(_ name: String, _ content: String, magic: Magic = .posix) {
        file(name, Array(content.utf8), magic: magic)
    }

    mutating func file(_ name: String, _ content: [UInt8], magic: Magic = .posix, prefix: String = "") {
        bytes += Self.header(name: name, size: content.count, type: "0", magic: magic, prefix: prefix)
        append(content)
    }

    mutating func directory(_ name: String) {
        bytes += Self.header(name: name, size: 0, type: "5")
    }

    mutating func symlink(_ name: String, to target: String) {
        bytes += Self.header(name: name, size: 0, type: "2", linkName: target)
    }

    mutating func hardlink(_ name: String, to target: String) {
        bytes += Self.header(name: name, size: 0, type: "1", linkName: target)
    }

    mutating func fifo(_ name: String) {
        bytes += Self.header(name: name, size: 0, type: "6")
    }

    /// A file whose name is carried in a pax extended header (`path=`).
    mutating func paxFile(_ name: String, _ content: String) {
        let record = Self.paxRecord("path", name)
        bytes += Self.header(name: "PaxHeaders/x", size: record.count, type: "x")
        append(record)
        file(String(name.suffix(90)), content)
    }

    /// A file whose name is carried in a GNU `././@LongLink` block.
    mutating func gnuLongNameFile(_ name: String, _ content: String) {
        var data = Array(name.utf8)
        data.append(0)
        bytes += Self.header(name: "././@LongLink", size: data.count, type: "L", magic: .gnu)
        append(data)
        file(String(name.prefix(99)), content, magic: .gnu)
    }

    /// Raw bytes (for corrupt archives).
    mutating func raw(_ data: [UInt8]) {
        bytes += data
    }

    /// Appends the two zero blocks that end an archive.
    mutating func finish() {
        bytes += [UInt8](repeating: 0, count: 1024)
    }

    private mutating func append(_ data: [UInt8]) {
        bytes += data
        let pad = (512 - data.count % 512) % 512
        bytes += [UInt8](repeating: 0, count: pad)
    }

    static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).utf8.count + body.utf8.count != length { length += 1 }
        return Array((String(length) + body).utf8)
    }

    static func header(
        name: String, size: Int, type: Character, linkName: String = "", magic: Magic = .posix, prefix: String = ""
    ) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (i, b) in text.utf8.prefix(width).enumerated() { h[offset + i] = b }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(0o644, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(1_700_000_000, at: 136, width: 12)
        h[156] = type.asciiValue ?? 0x30
        put(linkName, at: 157, width: 100)
        switch magic {
        case .posix:
            put("ustar", at: 257, width: 6)
            put("00", at: 263, width: 2)
            put(prefix, at: 345, width: 155)
        case .gnu:
            put("ustar  ", at: 257, width: 8)
        case .v7:
            break
        }
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(String(repeating: "0", count: max(0, 6 - digits.count)) + digits, at: 148, width: 6)
        h[154] = 0
        h[155] = 0x20
        return h
    }
}

enum Gzip {
    /// Compresses with zlib's deflate in gzip format.
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let initResult = deflateInit2_(
            &stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(initResult == Z_OK, "deflateInit2 failed in a test fixture")
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
        var inputCopy = input
        let produced: Int = inputCopy.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                let rc = deflate(&stream, Z_FINISH)
                precondition(rc == Z_STREAM_END, "deflate did not finish in a test fixture")
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }
}

/// A temporary folder removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = "defs") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/fhirgate-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ relative: String) -> String { path + "/" + relative }

    @discardableResult
    func write(_ relative: String, _ content: String) throws -> String {
        try write(relative, Array(content.utf8))
    }

    @discardableResult
    func write(_ relative: String, _ content: [UInt8]) throws -> String {
        let full = file(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(content).write(to: URL(fileURLWithPath: full))
        return full
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: file(relative)) }

    func list(_ relative: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: relative.isEmpty ? path : file(relative))) ?? [])
            .sorted()
    }
}

/// Package fixtures.
enum PackageFixture {
    static func manifest(_ id: String, _ version: String, dependencies: [String: String] = [:]) -> String {
        let deps = dependencies.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(
            separator: ", ")
        return """
            {"name": "\(id)", "version": "\(version)", "fhirVersions": ["4.0.1"], "canonical": "http://example.org/fhir/\(id)",
             "type": "IG", "dependencies": {\(deps)}}
            """
    }

    static func structureDefinition(
        url: String, version: String, name: String = "TestProfile", type: String = "Patient"
    )
        -> String
    {
        """
        {"resourceType": "StructureDefinition", "id": "\(name)", "url": "\(url)", "version": "\(version)",
         "name": "\(name)", "status": "draft", "kind": "resource", "abstract": false, "type": "\(type)",
         "baseDefinition": "http://hl7.org/fhir/StructureDefinition/\(type)", "derivation": "constraint"}
        """
    }

    /// A valid package tarball (gzip) holding a manifest and one profile.
    static func tarball(_ id: String, _ version: String, extra: (inout TarBuilder) -> Void = { _ in }) -> [UInt8] {
        var tar = TarBuilder()
        tar.directory("package/")
        tar.file("package/package.json", manifest(id, version))
        tar.file(
            "package/StructureDefinition-test.json",
            structureDefinition(url: "http://example.org/fhir/StructureDefinition/test", version: version))
        extra(&tar)
        tar.finish()
        return Gzip.compress(tar.bytes)
    }
}
