/// A set of short ASCII names (HTML element and attribute names) that answers for bytes without
/// building a String or hashing: the names are packed into two words and grouped by length,
/// and a lookup compares a few words. Names in the set longer than 16 bytes or not ASCII are
/// kept only in `others`.
package struct ASCIINameSet: Sendable {
    private struct Key: Equatable, Sendable {
        var low: UInt64
        var high: UInt64
    }

    /// `byLength[n]`: the keys of the names of `n` bytes (1...16).
    private let byLength: [[Key]]
    private let others: Set<String>
    /// Every name, for Strings that are not ASCII.
    private let all: Set<String>

    package init(_ names: [String]) {
        var byLength = [[Key]](repeating: [], count: 17)
        var others: Set<String> = []
        for name in names {
            let bytes = Array(name.utf8)
            if bytes.isEmpty || bytes.count > 16 || bytes.contains(where: { $0 >= 0x80 }) {
                others.insert(name)
                continue
            }
            byLength[bytes.count].append(bytes.withUnsafeBufferPointer { Self.key($0, lowercasing: false) })
        }
        self.byLength = byLength
        self.others = others
        all = Set(names)
    }

    /// Whether `bytes` (ASCII-lowercased first when `lowercasing`) is one of the names; nil
    /// when the bytes are not all ASCII (Unicode case mapping and Character comparison are the
    /// String set's job).
    package func contains(_ bytes: UnsafeBufferPointer<UInt8>, lowercasing: Bool) -> Bool? {
        let n = bytes.count
        if n >= 1 && n <= 16 {
            // The key and the ASCII test in one pass over the bytes.
            var key = Key(low: 0, high: 0)
            var seen: UInt8 = 0
            for i in 0..<n {
                let raw = bytes[i]
                seen |= raw
                let b = lowercasing && raw >= 0x41 && raw <= 0x5A ? raw | 0x20 : raw
                if i < 8 {
                    key.low |= UInt64(b) << (8 * UInt64(i))
                } else {
                    key.high |= UInt64(b) << (8 * UInt64(i - 8))
                }
            }
            guard seen < 0x80 else { return nil }
            for k in byLength[n] where k == key { return true }
            return false
        }
        var ascii = true
        for b in bytes where b >= 0x80 { ascii = false }
        guard ascii else { return nil }
        // (An ASCII name longer than 16 bytes, or empty, can only be among `others`.)
        guard !others.isEmpty else { return false }
        var name = String(decoding: bytes, as: UTF8.self)
        if lowercasing { name = name.lowercased() }
        return others.contains(name)
    }

    /// Whether `name` is one of the names (exactly, as `Set<String>.contains` compares).
    package func contains(_ name: String) -> Bool {
        var name = name
        if let answer = name.withUTF8({ contains($0, lowercasing: false) }) { return answer }
        return all.contains(name)
    }

    private static func key(_ bytes: UnsafeBufferPointer<UInt8>, lowercasing: Bool) -> Key {
        var key = Key(low: 0, high: 0)
        for (i, raw) in bytes.enumerated() {
            let b = lowercasing && raw >= 0x41 && raw <= 0x5A ? raw | 0x20 : raw
            if i < 8 {
                key.low |= UInt64(b) << (8 * UInt64(i))
            } else {
                key.high |= UInt64(b) << (8 * UInt64(i - 8))
            }
        }
        return key
    }
}
