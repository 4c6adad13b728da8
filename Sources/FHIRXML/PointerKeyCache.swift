/// A small open-addressing map from (summary id, interned name pointer) to an `Int32`, used for
/// the per-parse name resolution caches. libxml2 interns names in its dictionary, so pointer
/// identity is name identity within one parse; a cheap multiplicative hash beats `Hasher` here.
struct PointerKeyCache {
    private var keys: [UInt] = []
    private var summaries: [Int32] = []
    private var values: [Int32] = []
    private var count = 0
    private var mask = 0

    init(capacity: Int = 256) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        summaries = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ name: UInt, _ summary: Int32) -> Int {
        let h = (name >> 3) &* 0x9E37_79B9_7F4A_7C15 ^ UInt(bitPattern: Int(summary)) &* 0xC2B2_AE3D_27D4_EB4F
        return Int(truncatingIfNeeded: h >> 17) & mask
    }

    func value(summary: Int32, name: UnsafeRawPointer) -> Int32? {
        let key = UInt(bitPattern: name)
        var i = slot(key, summary)
        while true {
            let k = keys[i]
            if k == 0 { return nil }
            if k == key && summaries[i] == summary { return values[i] }
            i = (i + 1) & mask
        }
    }

    mutating func set(summary: Int32, name: UnsafeRawPointer, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let key = UInt(bitPattern: name)
        var i = slot(key, summary)
        while keys[i] != 0 {
            if keys[i] == key && summaries[i] == summary {
                values[i] = value
                return
            }
            i = (i + 1) & mask
        }
        keys[i] = key
        summaries[i] = summary
        values[i] = value
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldSummaries = summaries
        let oldValues = values
        let size = keys.count * 2
        keys = Array(repeating: 0, count: size)
        summaries = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
        count = 0
        for i in oldKeys.indices where oldKeys[i] != 0 {
            if let p = UnsafeRawPointer(bitPattern: oldKeys[i]) { set(summary: oldSummaries[i], name: p, oldValues[i]) }
        }
    }
}
