import Testing

@testable import FHIRPath

/// `contains()` and `indexOf()` search by bytes when both strings are plain ASCII; the answer
/// must be the Character offset a Character search gives, for any text.
struct StringSearchEquivalenceTests {
    /// The reference: Character arrays compared window by window.
    static func characterIndex(of sub: String, in s: String) -> Int? {
        let hay = Array(s)
        let needle = Array(sub)
        if needle.isEmpty { return 0 }
        guard needle.count <= hay.count else { return nil }
        for start in 0...(hay.count - needle.count) where hay[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    static let texts = [
        "", "a", "abc", "urn:uuid:1/_history/2", "http://x/Patient/1/_history/1", "aaab", "abababc",
        "line\r\nbreak", "caf\u{E9}/_history/", "e\u{301}/_history/x", "/_history/", "x/_histor", "\r\n", "\n",
    ]
    static let needles = ["", "a", "b", "abc", "/_history/", "ab", "\n", "\r", "\r\n", "\u{E9}", "e", "x/_histor", "c"]

    @Test func byteSearchGivesCharacterOffsets() {
        var found = 0
        for s in Self.texts {
            for sub in Self.needles {
                let expected = Self.characterIndex(of: sub, in: s)
                #expect(
                    FHIRPathText.firstIndex(of: sub, in: s) == expected, "\(s.debugDescription) \(sub.debugDescription)"
                )
                if let fast = FHIRPathText.asciiFirstIndex(of: sub, in: s) {
                    #expect(fast == expected)
                    found += 1
                }
            }
        }
        // The byte search answered most pairs (the others have non-ASCII text or a carriage return).
        #expect(found > 80)
    }
}
