/// A small hash table for lookups made once per element or coded value: open addressing with
/// linear probing on a 64-bit tag the caller computes from the key (cheaper than hashing through
/// `Hasher`). The full keys are compared only where the tags agree. The table is kept at most half
/// full, so every probe reaches an empty slot; it only grows.
struct ProbingTable<Key: Equatable & Sendable, Value: Sendable>: Sendable {
    /// Each slot's tag; 0 marks an empty slot (``tag(_:)`` never gives 0).
    private var tags: [UInt64]
    private var entries: [(key: Key, value: Value)?]
    private(set) var count = 0

    /// A table of `capacity` slots (a power of two).
    init(capacity: Int) {
        tags = Array(repeating: 0, count: capacity)
        entries = Array(repeating: nil, count: capacity)
    }

    /// A tag from a well-mixed 64-bit hash of a key: never 0.
    @inline(__always)
    static func tag(_ hash: UInt64) -> UInt64 { hash | 1 }

    @inline(__always)
    private func home(_ tag: UInt64) -> Int { Int(truncatingIfNeeded: tag >> 40) & (tags.count - 1) }

    func find(_ key: Key, tag: UInt64) -> Value? {
        let mask = tags.count - 1
        var i = home(tag)
        while tags[i] != 0 {
            if tags[i] == tag, let entry = entries[i], entry.key == key { return entry.value }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `value` under `key` unless the key is already there (the first value stays).
    mutating func insert(_ key: Key, tag: UInt64, _ value: Value) {
        if find(key, tag: tag) != nil { return }
        if (count + 1) * 2 > tags.count { grow() }
        let mask = tags.count - 1
        var i = home(tag)
        while tags[i] != 0 { i = (i + 1) & mask }
        tags[i] = tag
        entries[i] = (key, value)
        count += 1
    }

    private mutating func grow() {
        let oldTags = tags
        let oldEntries = entries
        tags = Array(repeating: 0, count: oldTags.count * 2)
        entries = Array(repeating: nil, count: oldTags.count * 2)
        count = 0
        for (tag, entry) in zip(oldTags, oldEntries) {
            if let entry { insert(entry.key, tag: tag, entry.value) }
        }
    }
}
