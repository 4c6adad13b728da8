/// A byte buffer for writing JSON: RFC 8259 string escaping and optional 2-space indentation.
struct JSONOutput {
    var bytes: [UInt8] = []
    let pretty: Bool
    var level = 0

    init(pretty: Bool, capacity: Int = 4096) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) { bytes.append(b) }

    @inline(__always)
    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Opens an object or array: `{` / `[`, one level deeper.
    mutating func open(_ b: UInt8) {
        bytes.append(b)
        level += 1
    }

    /// Closes an object or array; `empty` when nothing was written inside.
    mutating func close(_ b: UInt8, empty: Bool) {
        level -= 1
        if pretty && !empty { newline() }
        bytes.append(b)
    }

    /// Starts a member or item: a comma unless it is the first, then the indentation.
    @inline(__always)
    mutating func separator(first: Bool) {
        if !first { bytes.append(0x2C) }
        if pretty { newline() }
    }

    mutating func newline() {
        bytes.append(0x0A)
        for _ in 0..<(level * 2) { bytes.append(0x20) }
    }

    /// Writes `"key":` (with a space after the colon when pretty).
    mutating func key(_ name: String) {
        string(name)
        bytes.append(0x3A)
        if pretty { bytes.append(0x20) }
    }

    /// Writes the key of a choice element: `name` + capitalised `type` (`valueQuantity`).
    mutating func choiceKey(_ name: String, type: String, underscore: Bool) {
        bytes.append(0x22)
        if underscore { bytes.append(0x5F) }
        escapedContent(name)
        var first = true
        for b in type.utf8 {
            if first {
                first = false
                bytes.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b)
            } else {
                bytes.append(b)
            }
        }
        bytes.append(0x22)
        bytes.append(0x3A)
        if pretty { bytes.append(0x20) }
    }

    /// Writes a JSON string with the escapes RFC 8259 requires (`"`, `\` and control characters);
    /// `/` and non-ASCII stay as they are (UTF-8).
    mutating func string(_ text: String) {
        bytes.append(0x22)
        escapedContent(text)
        bytes.append(0x22)
    }

    mutating func escapedContent(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var start = 0
            for i in 0..<buffer.count {
                let b = buffer[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if i > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<i])) }
                start = i + 1
                bytes.append(0x5C)
                switch b {
                case 0x22: bytes.append(0x22)
                case 0x5C: bytes.append(0x5C)
                case 0x0A: bytes.append(0x6E)
                case 0x0D: bytes.append(0x72)
                case 0x09: bytes.append(0x74)
                case 0x08: bytes.append(0x62)
                case 0x0C: bytes.append(0x66)
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0x0F)]])
                }
            }
            if buffer.count > start {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<buffer.count]))
            }
        }
    }

    mutating func null() { raw("null") }
}
