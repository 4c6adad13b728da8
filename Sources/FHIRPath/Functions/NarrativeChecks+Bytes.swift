extension NarrativeChecks {
    /// ``scanCharacters(_:)`` over the UTF-8 bytes of `text`: the markup characters it looks for
    /// (`<`, `>`, `/`, `!`, `?`, space, tab, line feed) are ASCII, so they are found by byte. Only
    /// where such a byte could be part of a larger Character (next to a non-ASCII byte: a
    /// combining mark after it, a prepended mark before it; or a line feed after a carriage
    /// return) are the Characters around it read to decide. Element names and tags are then taken
    /// from the same places as the Character scan takes them, so the answers are the same; the
    /// text between tags, most of a narrative, is skipped at byte speed. `nil` when deciding would
    /// take a long detour (long runs of non-ASCII text around markup): scan Characters instead.
    static func scanBytes(_ bytes: UnsafeBufferPointer<UInt8>, in text: String) -> [String]? {
        let n = bytes.count
        let lt = UInt8(ascii: "<")
        let gt = UInt8(ascii: ">")
        let slash = UInt8(ascii: "/")
        var gaveUp = false

        /// Whether a Character boundary certainly lies before byte `p`: two ASCII bytes other than
        /// a carriage return and line feed are always separate Characters.
        func certainBoundary(_ p: Int) -> Bool {
            p == 0 || (bytes[p - 1] < 0x80 && bytes[p] < 0x80 && !(bytes[p - 1] == 0x0D && bytes[p] == 0x0A))
        }
        /// Whether the ASCII byte at `i` is a Character of its own (as the Character scan sees it).
        func isCharacter(_ i: Int) -> Bool {
            let byte = bytes[i]
            if certainBoundary(i) && (i + 1 == n || certainBoundary(i + 1)) { return true }
            // Walk Characters from the nearest certain boundary before `i`.
            var p = i
            while !certainBoundary(p) {
                p -= 1
                if i - p > maxDetour {
                    gaveUp = true
                    return false
                }
            }
            let from = text[index(p)...]
            let target = index(i)
            var k = from.startIndex
            var steps = 0
            while k < target {
                k = from.index(after: k)
                steps += 1
                if steps > maxDetour {
                    gaveUp = true
                    return false
                }
            }
            return k == target && from[k] == Character(Unicode.Scalar(byte))
        }
        func index(_ offset: Int) -> String.Index {
            text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        }
        func find(_ byte: UInt8, from start: Int) -> Int? {
            guard !gaveUp else { return nil }
            var i = start
            // Only the bytes equal to `byte` need a closer look: jump from one to the next.
            while let hit = ByteSearch.first(byte, in: bytes, from: i) {
                if isCharacter(hit) { return hit }
                if gaveUp { return nil }
                i = hit + 1
            }
            return nil
        }
        func endsName(_ i: Int) -> Bool {
            switch bytes[i] {
            case UInt8(ascii: " "), gt, slash, UInt8(ascii: "\t"), UInt8(ascii: "\n"): return isCharacter(i)
            default: return false
            }
        }

        var problems: [String] = []
        var position = 0
        var first = true
        while let open = find(lt, from: position) {
            if gaveUp { return nil }
            position = open + 1
            guard position < n else { break }
            switch bytes[position] {
            case slash, UInt8(ascii: "!"), UInt8(ascii: "?"):
                if isCharacter(position) { continue }
            default:
                break
            }
            var nameEnd = position
            while nameEnd < n && !endsName(nameEnd) { nameEnd += 1 }
            if gaveUp { return nil }
            let nameBytes = UnsafeBufferPointer(rebasing: bytes[position..<nameEnd])
            // An allowed ASCII name (not the root's) needs no String.
            if first || allowedASCIILocalName(nameBytes) != true {
                var name = String(decoding: nameBytes, as: UTF8.self).lowercased()
                if let colon = ByteSearch.firstColon(in: name) { name = String(name[name.index(after: colon)...]) }
                if first {
                    if name != "div" { problems.append("the narrative root must be a div") }
                    first = false
                }
                if !allowedElements.contains(name) {
                    problems.append("element '\(name)' is not allowed in narrative")
                }
            }
            guard let tagEnd = find(gt, from: position) else {
                if gaveUp { return nil }
                break
            }
            if tagEnd > nameEnd {
                let tag = UnsafeBufferPointer(rebasing: bytes[nameEnd..<tagEnd])
                let names =
                    asciiAttributeNames(in: tag, onlyEvents: true)
                    ?? attributeNames(in: text[index(nameEnd)..<index(tagEnd)])
                for attribute in names where attribute.hasPrefix("on") {
                    problems.append("event attribute '\(attribute)' is not allowed in narrative")
                }
            }
            position = tagEnd
        }
        if gaveUp { return nil }
        if first { problems.append("the narrative has no root element") }
        return problems
    }

    /// Whether the local part (after the first `:`) of an ASCII element name, lowercased, is
    /// allowed; nil when the name is not all ASCII.
    static func allowedASCIILocalName(_ name: UnsafeBufferPointer<UInt8>) -> Bool? {
        var start = 0
        for (i, b) in name.enumerated() {
            if b >= 0x80 { return nil }
            if b == UInt8(ascii: ":") && start == 0 { start = i + 1 }
        }
        return allowedNames.contains(UnsafeBufferPointer(rebasing: name[start...]), lowercasing: true)
    }

    static let allowedNames = ASCIINameSet(Array(allowedElements))

    /// ``attributeNames(in:)`` for a tag of ASCII text without carriage returns (where every byte
    /// is a Character); `nil` for any other tag.
    /// `onlyEvents`: only the names that start with `on` in any case (the others are not
    /// built).
    static func asciiAttributeNames(in tag: UnsafeBufferPointer<UInt8>, onlyEvents: Bool = false) -> [String]? {
        let n = tag.count
        for byte in tag where byte >= 0x80 || byte == 0x0D { return nil }
        func isSeparator(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
        }
        func firstIndex(of byte: UInt8, from start: Int) -> Int? {
            var i = start
            while i < n {
                if tag[i] == byte { return i }
                i += 1
            }
            return nil
        }
        var names: [String] = []
        var rest = 0
        while let eq = firstIndex(of: UInt8(ascii: "="), from: rest) {
            // The last space-separated word before `=`, trailing whitespace (tab to carriage
            // return, space) removed.
            var end = eq
            while end > rest && (tag[end - 1] == 0x20 || (0x09...0x0D).contains(tag[end - 1])) { end -= 1 }
            var start = end
            while start > rest && !isSeparator(tag[start - 1]) { start -= 1 }
            let isEvent =
                end - start >= 2 && tag[start] | 0x20 == UInt8(ascii: "o") && tag[start + 1] | 0x20 == UInt8(ascii: "n")
            if start < end && (isEvent || !onlyEvents) {
                names.append(
                    String(decoding: UnsafeBufferPointer(rebasing: tag[start..<end]), as: UTF8.self).lowercased())
            }
            rest = eq + 1
            var open = rest
            while open < n && tag[open] != UInt8(ascii: "\"") && tag[open] != UInt8(ascii: "'") { open += 1 }
            guard open < n, let close = firstIndex(of: tag[open], from: open + 1) else { break }
            rest = close + 1
        }
        return names
    }

    /// How far (bytes back, Characters forward) deciding one markup byte may read.
    static let maxDetour = 256
}
