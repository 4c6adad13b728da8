#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The string values of one document, remembered so that a value seen again (a system URL, a
/// reference, a timestamp repeated in every entry of a Bundle) shares the first one's storage
/// instead of allocating, copying and validating its bytes again, and freeing them with the tree.
///
/// A direct-mapped cache of ``slotCount`` slots keyed by ``JSONScanner/keyHash(_:_:)`` and length;
/// a hit is confirmed by comparing the bytes with the first occurrence in the input (which
/// outlives the builder), a miss replaces the slot. Only printable ASCII strings without
/// escapes of ``internedLengths`` bytes pass through it: shorter ones are stored inline in the
/// `String` (no allocation), longer ones (narratives, data) seldom repeat.
struct JSONStringInterner: ~Copyable {
    static let slotCount = 256
    static let internedLengths = 16...128

    /// Hash and length of each slot's string, 0 for an empty slot (whose text is uninitialized).
    private let keys: UnsafeMutablePointer<UInt64>
    /// Where each slot's string starts in the input.
    private let starts: UnsafeMutablePointer<UnsafePointer<UInt8>>
    private let texts: UnsafeMutablePointer<String>

    init() {
        keys = .allocate(capacity: Self.slotCount)
        keys.initialize(repeating: 0, count: Self.slotCount)
        starts = .allocate(capacity: Self.slotCount)
        texts = .allocate(capacity: Self.slotCount)
    }

    deinit {
        for i in 0..<Self.slotCount where keys[i] != 0 { (texts + i).deinitialize(count: 1) }
        keys.deallocate()
        starts.deallocate()
        texts.deallocate()
    }

    /// The string of `count` printable ASCII bytes at `bytes` (no quotes, no escapes).
    @inline(__always)
    mutating func string(_ bytes: UnsafePointer<UInt8>, count: Int) -> String {
        guard Self.internedLengths.contains(count) else { return JSONScanner.asciiString(bytes, count: count) }
        return lookUp(bytes, count: count)
    }

    @inline(never)
    private mutating func lookUp(_ bytes: UnsafePointer<UInt8>, count: Int) -> String {
        let hash = JSONScanner.keyHash(bytes, count)
        let key = UInt64(hash) << 32 | UInt64(count)
        let slot = Int(hash) & (Self.slotCount - 1)
        if keys[slot] == key && memcmp(starts[slot], bytes, count) == 0 {
            return texts[slot]
        }
        let text = JSONScanner.asciiString(bytes, count: count)
        if keys[slot] != 0 {
            texts[slot] = text
        } else {
            (texts + slot).initialize(to: text)
        }
        keys[slot] = key
        starts[slot] = bytes
        return text
    }
}
