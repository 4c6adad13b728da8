import FHIRModel

/// One field of a CSV row with the place it starts.
struct CSVField: Sendable {
    var text: String
    var position: SourcePosition
}

/// One CSV row: the line it starts on and its fields.
struct CSVRow: Sendable {
    var line: Int
    var fields: [CSVField]

    /// Whether every field is empty (a blank line).
    var isBlank: Bool { fields.allSatisfy { $0.text.isEmpty } }
}

/// An RFC 4180 CSV tokenizer: comma-separated fields, rows ending in CRLF, LF or CR, quoted
/// fields that may hold commas, line breaks and doubled quotes (`""`). A UTF-8 byte order mark
/// is skipped. A row with a syntax problem (text after a closing quote, a quote inside an
/// unquoted field, invalid UTF-8) is reported and left out; an unterminated quote ends the input.
struct CSVParser {
    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var lineStart = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            offset = 3
            lineStart = 3
        }
    }

    private var position: SourcePosition { SourcePosition(line: line, column: offset - lineStart + 1) }

    /// The next row (or a syntax error for it); nil at the end of the input.
    mutating func nextRow() -> Result<CSVRow, FHIRFormatError>? {
        guard offset < bytes.count else { return nil }
        let rowLine = line
        var fields: [CSVField] = []
        var failure: FHIRFormatError?
        while true {
            let start = position
            var text: [UInt8] = []
            if offset < bytes.count && bytes[offset] == 0x22 {
                offset += 1
                var closed = false
                while offset < bytes.count {
                    let b = bytes[offset]
                    if b == 0x22 {
                        if offset + 1 < bytes.count && bytes[offset + 1] == 0x22 {
                            text.append(0x22)
                            offset += 2
                            continue
                        }
                        offset += 1
                        closed = true
                        break
                    }
                    text.append(b)
                    offset += 1
                    if b == 0x0A || (b == 0x0D && (offset >= bytes.count || bytes[offset] != 0x0A)) {
                        line += 1
                        lineStart = offset
                    }
                }
                if !closed {
                    return .failure(FHIRFormatError(.csvSyntax, "a quoted field is never closed", position: start))
                }
                if offset < bytes.count && !isFieldEnd(bytes[offset]) && failure == nil {
                    failure = FHIRFormatError(.csvSyntax, "text after the closing quote of a field", position: position)
                }
                while offset < bytes.count && !isFieldEnd(bytes[offset]) { offset += 1 }
            } else {
                while offset < bytes.count && !isFieldEnd(bytes[offset]) {
                    if bytes[offset] == 0x22 && failure == nil {
                        failure = FHIRFormatError(
                            .csvSyntax, "a quote inside an unquoted field (quote the whole field and double the quote)",
                            position: position)
                    }
                    text.append(bytes[offset])
                    offset += 1
                }
            }
            if let value = String(validating: text, as: UTF8.self) {
                fields.append(CSVField(text: value, position: start))
            } else if failure == nil {
                failure = FHIRFormatError(.jsonEncoding, "invalid UTF-8 in a field", position: start)
            }
            if offset < bytes.count && bytes[offset] == 0x2C {
                offset += 1
                continue
            }
            endRow()
            break
        }
        if let failure { return .failure(failure) }
        return .success(CSVRow(line: rowLine, fields: fields))
    }

    private func isFieldEnd(_ b: UInt8) -> Bool { b == 0x2C || b == 0x0A || b == 0x0D }

    /// Consumes the row terminator (CRLF, LF or CR) if any.
    private mutating func endRow() {
        guard offset < bytes.count else { return }
        if bytes[offset] == 0x0D { offset += 1 }
        if offset < bytes.count && bytes[offset] == 0x0A { offset += 1 }
        line += 1
        lineStart = offset
    }
}
