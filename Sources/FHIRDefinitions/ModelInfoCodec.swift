import FHIRModel

/// A compact binary form of ``ModelInfo`` for the on-disk cache: a string table followed by the
/// type summaries. Decoding checks every bound, so a damaged cache file is rejected (and
/// rebuilt by the loader), never trusted.
enum ModelInfoCodec {
    static let magic: [UInt8] = Array("FGMI".utf8)
    static let formatVersion: UInt32 = 2

    struct DecodeError: Error {}

    static func encode(_ model: ModelInfo) -> [UInt8] {
        var strings: [String] = []
        var stringIndex: [String: UInt32] = [:]
        func intern(_ s: String) -> UInt32 {
            if let i = stringIndex[s] { return i }
            let i = UInt32(strings.count)
            strings.append(s)
            stringIndex[s] = i
            return i
        }
        let none = UInt32.max
        var body: [UInt8] = []
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) } }
        u32(intern(model.fhirVersion))
        u32(UInt32(model.types.count))
        for t in model.types {
            u32(intern(t.name))
            body.append(t.kind.rawValue)
            u32(t.baseType.map(intern) ?? none)
            body.append(t.isAbstract ? 1 : 0)
            u32(intern(t.url))
            u32(UInt32(t.elements.count))
            for e in t.elements {
                u32(intern(e.name))
                var flags: UInt8 = 0
                if e.isArray { flags |= 1 }
                if e.isChoice { flags |= 2 }
                if e.isXMLAttribute { flags |= 4 }
                if e.isModifier { flags |= 8 }
                if e.isSummary { flags |= 16 }
                body.append(flags)
                u32(UInt32(clamping: e.min))
                u32(e.backbonePath.map(intern) ?? none)
                u32(UInt32(e.types.count))
                for code in e.types { u32(intern(code)) }
            }
        }
        var out = magic
        withUnsafeBytes(of: formatVersion.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(strings.count).littleEndian) { out.append(contentsOf: $0) }
        for s in strings {
            let utf8 = Array(s.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: utf8)
        }
        out.append(contentsOf: body)
        return out
    }

    static func decode(_ bytes: [UInt8]) throws(DecodeError) -> ModelInfo {
        var reader = ByteReader(bytes: bytes)
        guard Array(try reader.take(4)) == magic, try reader.u32() == formatVersion else { throw DecodeError() }
        let stringCount = Int(try reader.u32())
        guard stringCount < 1_000_000 else { throw DecodeError() }
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            let n = Int(try reader.u32())
            strings.append(String(decoding: try reader.take(n), as: UTF8.self))
        }
        func string(_ i: UInt32) throws(DecodeError) -> String {
            guard Int(i) < strings.count else { throw DecodeError() }
            return strings[Int(i)]
        }
        func optionalString(_ i: UInt32) throws(DecodeError) -> String? {
            i == UInt32.max ? nil : try string(i)
        }
        let version = try string(try reader.u32())
        let typeCount = Int(try reader.u32())
        guard typeCount < 100_000 else { throw DecodeError() }
        var types: [TypeSummary] = []
        types.reserveCapacity(typeCount)
        for _ in 0..<typeCount {
            let name = try string(try reader.u32())
            guard let kind = TypeSummary.Kind(rawValue: try reader.u8()) else { throw DecodeError() }
            let base = try optionalString(try reader.u32())
            let isAbstract = try reader.u8() == 1
            let url = try string(try reader.u32())
            let elementCount = Int(try reader.u32())
            guard elementCount < 10_000 else { throw DecodeError() }
            var elements: [ElementSummary] = []
            elements.reserveCapacity(elementCount)
            for _ in 0..<elementCount {
                let elementName = try string(try reader.u32())
                let flags = try reader.u8()
                let min = Int(try reader.u32())
                let backbone = try optionalString(try reader.u32())
                let codeCount = Int(try reader.u32())
                guard codeCount < 1_000 else { throw DecodeError() }
                var codes: [String] = []
                for _ in 0..<codeCount { codes.append(try string(try reader.u32())) }
                elements.append(
                    ElementSummary(
                        name: elementName, types: codes, isArray: flags & 1 != 0, isChoice: flags & 2 != 0,
                        min: min, isXMLAttribute: flags & 4 != 0, backbonePath: backbone,
                        isModifier: flags & 8 != 0, isSummary: flags & 16 != 0))
            }
            types.append(
                TypeSummary(
                    name: name, kind: kind, baseType: base, isAbstract: isAbstract, url: url, elements: elements))
        }
        guard reader.atEnd else { throw DecodeError() }
        return ModelInfo(types: types, fhirVersion: version)
    }

    private struct ByteReader {
        let bytes: [UInt8]
        var offset = 0
        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ n: Int) throws(DecodeError) -> ArraySlice<UInt8> {
            guard n >= 0, offset + n <= bytes.count else { throw DecodeError() }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }

        mutating func u8() throws(DecodeError) -> UInt8 {
            guard offset < bytes.count else { throw DecodeError() }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u32() throws(DecodeError) -> UInt32 {
            let s = try take(4)
            var v: UInt32 = 0
            for (k, b) in s.enumerated() { v |= UInt32(b) << (8 * UInt32(k)) }
            return v
        }
    }
}
