#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `memchr` over a buffer: the first offset at or after `start` holding `byte`.
package enum ByteSearch {
    @inline(__always)
    package static func first(_ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start >= 0, start < buffer.count, let base = buffer.baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), buffer.count - start) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }
}

extension ByteSearch {
    /// `text.firstIndex(of: ":")` (a Character search) found by byte: a `:` byte between ASCII
    /// bytes (or at either end) is a Character of its own, and no Character `:` can come before
    /// the first `:` byte. Other cases (a combining or prepended mark next to it) ask the
    /// Character view.
    package static func firstColon(in text: String) -> String.Index? {
        let utf8 = text.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let before = colon == utf8.startIndex ? nil : utf8[utf8.index(before: colon)]
        let afterIndex = utf8.index(after: colon)
        let after = afterIndex == utf8.endIndex ? nil : utf8[afterIndex]
        if (before ?? 0) < 0x80 && (after ?? 0) < 0x80 { return colon }
        return text.firstIndex(of: ":")
    }
}
