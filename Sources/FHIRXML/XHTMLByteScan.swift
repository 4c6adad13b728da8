/// Search for the bytes markup readers stop at: the long runs of narrative text and attribute
/// values (base64 images) hold none of them, and are passed sixteen bytes per step (SIMD
/// compares, SSE2 on x86-64).
package enum XHTMLByteScan {
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
        let s1 = SIMD16<UInt8>(repeating: m1)
        let s2 = SIMD16<UInt8>(repeating: m2)
        let s3 = SIMD16<UInt8>(repeating: m3)
        let s4 = SIMD16<UInt8>(repeating: m4)
        let s5 = SIMD16<UInt8>(repeating: m5)
        let below = SIMD16<UInt8>(repeating: 0x20)
        let ascii = SIMD16<UInt8>(repeating: 0x7F)
        while k + 16 <= end {
            let v = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self)
            var m = (v .< below) .| (v .== s1) .| (v .== s2) .| (v .== s3) .| (v .== s4) .| (v .== s5)
            if high {
                m .|= v .> ascii
            }
            if any(m) {
                for j in k..<(k + 16) where marked(base[j]) { return j }
            }
            k += 16
        }
        while k < end {
            if marked(base[k]) { return k }
            k += 1
        }
        return end
    }

    /// The length of the whitespace written as a character reference at `k` (`&#9;` is 4 bytes,
    /// `&#10;` and `&#13;` are 5), or 0 when there is none.
    @inline(__always)
    package static func whitespaceReferenceLength(_ b: UnsafeBufferPointer<UInt8>, at k: Int) -> Int {
        let n = b.count
        guard k + 3 < n, b[k] == 0x26, b[k + 1] == 0x23 else { return 0 }
        if b[k + 2] == 0x39 && b[k + 3] == 0x3B { return 4 }
        if k + 4 < n, b[k + 2] == 0x31, b[k + 3] == 0x30 || b[k + 3] == 0x33, b[k + 4] == 0x3B { return 5 }
        return 0
    }
}
