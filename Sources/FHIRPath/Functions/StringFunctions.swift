import FHIRModel

/// String manipulation (FHIRPath §5.6): positions and lengths count Characters (extended
/// grapheme clusters), the same unit Swift's `==` on strings works in.
///
/// Every function here takes one string (empty input gives empty output; a non-string item is an
/// execution error) and returns empty when a required argument is empty. Regular expressions
/// are in `StringRegexFunctions.swift`, encodings and escapes in `StringEncodingFunctions.swift`.
extension FHIRPathFunctionLibrary {
    static let stringFunctions: [FHIRPathFunction] =
        stringSearchFunctions + stringShapeFunctions + stringRegexFunctions + stringEncodingFunctions

    private static let stringSearchFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("indexOf", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let sub = try call.stringArgument(0) else { return [] }
            return [.integer(FHIRPathText.firstIndex(of: sub, in: s) ?? -1)]
        },
        FHIRPathFunction("lastIndexOf", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let sub = try call.stringArgument(0) else { return [] }
            return [.integer(FHIRPathText.lastIndex(of: sub, in: s) ?? -1)]
        },
        FHIRPathFunction("substring", arity: 1...2) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let start = try call.integerArgument(0) else { return [] }
            var length: Int?
            if call.argumentCount > 1 {
                guard let n = try call.integerArgument(1) else { return [] }
                length = n
            }
            return FHIRPathText.substring(s, start: start, length: length).map { [.string($0)] } ?? []
        },
        FHIRPathFunction("startsWith", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let prefix = try call.stringArgument(0) else { return [] }
            return FHIRPathLogic.just(s.starts(with: prefix))
        },
        FHIRPathFunction("endsWith", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let suffix = try call.stringArgument(0) else { return [] }
            return FHIRPathLogic.just(s.reversed().starts(with: suffix.reversed()))
        },
        FHIRPathFunction("contains", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let sub = try call.stringArgument(0) else { return [] }
            return FHIRPathLogic.just(FHIRPathText.firstIndex(of: sub, in: s) != nil)
        },
        FHIRPathFunction("length") { call throws(FHIRPathError) in
            guard let s = try call.stringInput() else { return [] }
            return [.integer(s.count)]
        },
    ]

    private static let stringShapeFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("upper") { call throws(FHIRPathError) in
            guard let s = try call.stringInput() else { return [] }
            return [.string(s.uppercased())]
        },
        FHIRPathFunction("lower") { call throws(FHIRPathError) in
            guard let s = try call.stringInput() else { return [] }
            return [.string(s.lowercased())]
        },
        FHIRPathFunction("trim") { call throws(FHIRPathError) in
            guard let s = try call.stringInput() else { return [] }
            return [.string(FHIRPathText.trimmed(s))]
        },
        FHIRPathFunction("toChars") { call throws(FHIRPathError) in
            guard let s = try call.stringInput() else { return [] }
            return s.map { .string(String($0)) }
        },
        FHIRPathFunction("replace", arity: 2...2) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let pattern = try call.stringArgument(0),
                let substitution = try call.stringArgument(1)
            else { return [] }
            guard let result = FHIRPathText.replacing(pattern, with: substitution, in: s) else {
                throw call.failure("the result would exceed \(FHIRPathText.maxResultBytes) bytes")
            }
            return [.string(result)]
        },
        FHIRPathFunction("split", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let separator = try call.stringArgument(0) else { return [] }
            return FHIRPathText.split(s, by: separator).map { .string($0) }
        },
        FHIRPathFunction("join", arity: 0...1) { call throws(FHIRPathError) in
            guard !call.input.isEmpty else { return [] }
            let separator = call.argumentCount > 0 ? try call.stringArgument(0) : ""
            guard let separator else { return [] }
            var parts: [String] = []
            parts.reserveCapacity(call.input.count)
            var total = 0
            for item in call.input {
                guard case .string(let s)? = item.systemValue else {
                    throw call.failure("expects strings, got \(FHIRPathText.typeWord(item))")
                }
                total += s.utf8.count + separator.utf8.count
                guard total <= FHIRPathText.maxResultBytes else {
                    throw call.failure("the result would exceed \(FHIRPathText.maxResultBytes) bytes")
                }
                parts.append(s)
            }
            return [.string(parts.joined(separator: separator))]
        },
    ]
}

/// Character-based string helpers for the string functions.
enum FHIRPathText {
    /// The largest string (in UTF-8 bytes) a string function builds: 16 MiB.
    static let maxResultBytes = 1 << 24

    /// The Character offset of the first occurrence of `sub` in `s` (0 for an empty `sub`).
    static func firstIndex(of sub: String, in s: String) -> Int? {
        if sub.isEmpty { return 0 }
        if let found = asciiFirstIndex(of: sub, in: s) { return found }
        guard let first = sub.first else { return 0 }
        var offset = 0
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == first, s[i...].starts(with: sub) { return offset }
            s.formIndex(after: &i)
            offset += 1
        }
        return nil
    }

    /// ``firstIndex(of:in:)`` by bytes when both strings are ASCII without carriage returns
    /// (every byte is then a Character, so byte offsets are Character offsets): `.some(nil)` when
    /// absent, `nil` when the strings are not of that kind.
    static func asciiFirstIndex(of sub: String, in s: String) -> Int?? {
        func plain(_ bytes: String.UTF8View) -> Bool { !bytes.contains { $0 >= 0x80 || $0 == 0x0D } }
        guard plain(sub.utf8), plain(s.utf8) else { return nil }
        if sub.isEmpty { return .some(0) }
        let found: Int?? =
            s.utf8.withContiguousStorageIfAvailable { hay in
                sub.utf8.withContiguousStorageIfAvailable { needle -> Int? in
                    guard needle.count <= hay.count, let first = needle.first else { return nil }
                    var i = 0
                    let last = hay.count - needle.count
                    while i <= last {
                        if hay[i] == first {
                            var k = 1
                            while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                            if k == needle.count { return i }
                        }
                        i += 1
                    }
                    return nil
                }
            } ?? nil
        return found
    }

    /// The Character offset of the last occurrence of `sub` in `s` (the length of `s` for an
    /// empty `sub`).
    static func lastIndex(of sub: String, in s: String) -> Int? {
        let chars = Array(s)
        let needle = Array(sub)
        guard needle.count <= chars.count else { return nil }
        var start = chars.count - needle.count
        while start >= 0 {
            if chars[start..<(start + needle.count)].elementsEqual(needle) { return start }
            start -= 1
        }
        return nil
    }

    /// `substring(start, length)`: `nil` (empty) when `start` is outside the string; a missing
    /// `length` means to the end; a length of zero or less gives the empty string.
    static func substring(_ s: String, start: Int, length: Int?) -> String? {
        guard start >= 0 else { return nil }
        guard let from = s.index(s.startIndex, offsetBy: start, limitedBy: s.endIndex), from < s.endIndex else {
            return nil
        }
        guard let length else { return String(s[from...]) }
        guard length > 0 else { return "" }
        let to = s.index(from, offsetBy: length, limitedBy: s.endIndex) ?? s.endIndex
        return String(s[from..<to])
    }

    /// `s` without leading and trailing whitespace.
    static func trimmed(_ s: String) -> String {
        guard let first = s.firstIndex(where: { !$0.isWhitespace }),
            let last = s.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(s[first...last])
    }

    /// Every occurrence of `pattern` replaced by `substitution`; an empty pattern inserts the
    /// substitution before every character and at the end (`'abc'.replace('', 'x')` is
    /// `xaxbxcx`). `nil` when the result would exceed ``maxResultBytes``.
    static func replacing(_ pattern: String, with substitution: String, in s: String) -> String? {
        var out = ""
        var bytes = 0
        func append<S: StringProtocol>(_ part: S) -> Bool {
            bytes += part.utf8.count
            guard bytes <= maxResultBytes else { return false }
            out += part
            return true
        }
        if pattern.isEmpty {
            for ch in s {
                guard append(substitution), append(String(ch)) else { return nil }
            }
            return append(substitution) ? out : nil
        }
        guard let first = pattern.first else { return s }
        var i = s.startIndex
        var pending = s.startIndex
        while i < s.endIndex {
            if s[i] == first, s[i...].starts(with: pattern) {
                guard append(s[pending..<i]), append(substitution) else { return nil }
                i = s.index(i, offsetBy: pattern.count)
                pending = i
            } else {
                s.formIndex(after: &i)
            }
        }
        return append(s[pending...]) ? out : nil
    }

    /// `s` split at every `separator`, keeping empty parts; an empty separator splits into
    /// characters.
    static func split(_ s: String, by separator: String) -> [String] {
        guard let first = separator.first else { return s.map { String($0) } }
        var parts: [String] = []
        var i = s.startIndex
        var pending = s.startIndex
        while i < s.endIndex {
            if s[i] == first, s[i...].starts(with: separator) {
                parts.append(String(s[pending..<i]))
                i = s.index(i, offsetBy: separator.count)
                pending = i
            } else {
                s.formIndex(after: &i)
            }
        }
        parts.append(String(s[pending...]))
        return parts
    }

    /// The type name of an item for error messages (never its value).
    static func typeWord(_ item: FHIRPathValue) -> String {
        item.type(in: nil).name
    }
}
