import FHIRJSON
import FHIRModel

/// Reads a package's `.index.json` (index-version 1 or 2) straight from the bytes with the JSON
/// scanner, keeping only the fields the store needs, without building a `JSONValue` tree: it is
/// the one file read when a package is loaded, so start-up time depends on it.
enum PackageIndexReader {
    struct Record {
        var filename: String?
        var resourceType: String?
        var id: String?
        var url: String?
        var version: String?
        var kind: String?
        var type: String?
    }

    static func read(_ bytes: [UInt8]) throws(FHIRFormatError) -> [Record] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(FHIRFormatError) -> [Record] in
            var scanner = JSONScanner(bytes: buffer, limits: .default)
            scanner.skipByteOrderMark()
            var records: [Record]?
            try readObject(&scanner) { (s, key) throws(FHIRFormatError) in
                if key == "files" {
                    records = try readFiles(&s)
                } else {
                    try skipValue(&s, depth: 1)
                }
            }
            guard scanner.peekNonSpace() == 0, scanner.atEnd else {
                throw scanner.error(.jsonSyntax, "unexpected content after the JSON value")
            }
            guard let records else { throw FHIRFormatError(.packageInvalid, "the package index has no 'files' list") }
            return records
        }
    }

    private static func readFiles(_ s: inout JSONScanner) throws(FHIRFormatError) -> [Record] {
        var records: [Record] = []
        records.reserveCapacity(4096)
        try s.expect(0x5B, "'['")
        if s.peekNonSpace() == 0x5D {
            s.offset += 1
            return records
        }
        while true {
            var record = Record()
            try readObject(&s) { (s, key) throws(FHIRFormatError) in
                switch key {
                case "filename": record.filename = try readOptionalString(&s)
                case "resourceType": record.resourceType = try readOptionalString(&s)
                case "id": record.id = try readOptionalString(&s)
                case "url": record.url = try readOptionalString(&s)
                case "version": record.version = try readOptionalString(&s)
                case "kind": record.kind = try readOptionalString(&s)
                case "type": record.type = try readOptionalString(&s)
                default: try skipValue(&s, depth: 3)
                }
            }
            records.append(record)
            let c = s.peekNonSpace()
            s.offset += 1
            if c == 0x2C { continue }
            if c == 0x5D { return records }
            s.offset -= 1
            throw s.error(.jsonSyntax, "expected ',' or ']'")
        }
    }

    /// Reads `{ "key": value, ... }`, handing each key to `member`, which must consume the value.
    private static func readObject(
        _ s: inout JSONScanner, _ member: (inout JSONScanner, String) throws(FHIRFormatError) -> Void
    ) throws(FHIRFormatError) {
        try s.expect(0x7B, "'{'")
        if s.peekNonSpace() == 0x7D {
            s.offset += 1
            return
        }
        while true {
            guard s.peekNonSpace() == 0x22 else { throw s.error(.jsonSyntax, "expected a property name") }
            let key = try s.readString()
            try s.expect(0x3A, "':'")
            try member(&s, key)
            let c = s.peekNonSpace()
            s.offset += 1
            if c == 0x2C { continue }
            if c == 0x7D { return }
            s.offset -= 1
            throw s.error(.jsonSyntax, "expected ',' or '}'")
        }
    }

    /// A string value; any other value is skipped and gives `nil`.
    private static func readOptionalString(_ s: inout JSONScanner) throws(FHIRFormatError) -> String? {
        if s.peekNonSpace() == 0x22 { return try s.readString() }
        try skipValue(&s, depth: 3)
        return nil
    }

    private static func skipValue(_ s: inout JSONScanner, depth: Int) throws(FHIRFormatError) {
        guard depth < s.limits.maxDepth else {
            throw s.error(.jsonDepthLimit, "nesting deeper than \(s.limits.maxDepth)")
        }
        switch s.peekNonSpace() {
        case 0x7B:
            try readObject(&s) { (s, _) throws(FHIRFormatError) in try skipValue(&s, depth: depth + 1) }
        case 0x5B:
            s.offset += 1
            if s.peekNonSpace() == 0x5D {
                s.offset += 1
                return
            }
            while true {
                try skipValue(&s, depth: depth + 1)
                let c = s.peekNonSpace()
                s.offset += 1
                if c == 0x2C { continue }
                if c == 0x5D { return }
                s.offset -= 1
                throw s.error(.jsonSyntax, "expected ',' or ']'")
            }
        case 0x22:
            _ = try s.readString()
        case 0x2D, 0x30...0x39:
            _ = try s.readNumberLexeme()
        case 0:
            throw s.error(.jsonSyntax, "unexpected end of input")
        default:
            _ = try s.readLiteral()
        }
    }
}
