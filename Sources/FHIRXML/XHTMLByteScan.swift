/// Word-at-a-time search for the bytes markup readers stop at: the long runs of narrative text
/// and attribute values (base64 images) hold none of them, and are passed eight bytes per step.
package enum XHTMLByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The first offset in `from..<to` of `b` whose byte is a control (below 0x20), equal to
    /// one of `m1`...`m5`, or (when `high`) not ASCII; `to` when there is none.
    @inline(__always)
    package static func firstMarked(
        _ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, _ m1: UInt8, _ m2: UInt8, _ m3: UInt8, _ m4: UInt8,
        _ m5: UInt8, high: Bool
    ) -> Int {
        @inline(__always) func marked(_ c: UInt8) -> Bool {
            c < 0x20 || c == m1 || c == m2 || c == m3 || c == m4 || c == m5 || (high && c >= 0x80)
        }
        var k = max(from, 0)
        let end = min(to, b.count)
        guard k < end, let base = b.baseAddress else { return end }
        let p1 = ones &* UInt64(m1)
        let p2 = ones &* UInt64(m2)
        let p3 = ones &* UInt64(m3)
        let p4 = ones &* UInt64(m4)
        let p5 = ones &* UInt64(m5)
        let below = ones &* 0x20
        while k + 8 <= end {
            let w = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
            // A byte below n sets its high bit in (w - n) & ~w (exact as to whether any byte
            // is); a byte equal to m is a zero byte of w ^ m.
            var t = (w &- below) & ~w
            let x1 = w ^ p1
            let x2 = w ^ p2
            let x3 = w ^ p3
            let x4 = w ^ p4
            let x5 = w ^ p5
            t |= (x1 &- ones) & ~x1
            t |= (x2 &- ones) & ~x2
            t |= (x3 &- ones) & ~x3
            t |= (x4 &- ones) & ~x4
            t |= (x5 &- ones) & ~x5
            if high { t |= w }
            if t & highs != 0 {
                for j in k..<(k + 8) where marked(base[j]) { return j }
            }
            k += 8
        }
        while k < end {
            if marked(base[k]) { return k }
            k += 1
        }
        return end
    }
}
