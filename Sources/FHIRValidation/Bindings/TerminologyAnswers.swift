import FHIRDefinitions

/// Answers of ``LocalTerminology`` that bindings ask for over and over (the same value sets and
/// codes in every resource): whether a value set is available, and whether a code is in it.
/// `LocalTerminology` keeps compiled value sets, but each question still copies one out and
/// evaluates it; here a repeated question costs one lookup. The answers depend only on the
/// definitions, which do not change during validation. Bounded: past ``limit`` entries new
/// answers are not kept. Thread-safe.
final class TerminologyAnswers: Sendable {
    struct Key: Hashable, Sendable {
        let valueSet: String
        let system: String?
        let code: String

        /// The bytes of the code folded into one number (``asciiDigest(_:)``), the key's only
        /// hash: the long URLs repeat across keys and are compared (usually by identity) only on
        /// a match, not hashed on every question. Only codes of ASCII text are kept, where equal
        /// strings have equal bytes, so the hash agrees with `==`.
        let codeDigest: UInt64

        init?(valueSet: String, system: String?, code: String) {
            guard let digest = Self.asciiDigest(code) else { return nil }
            self.valueSet = valueSet
            self.system = system
            self.code = code
            self.codeDigest = digest
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(codeDigest)
        }

        static func == (a: Key, b: Key) -> Bool {
            a.codeDigest == b.codeDigest && a.code == b.code && a.valueSet == b.valueSet && a.system == b.system
        }

        /// The bytes of `text` folded into one number, or `nil` when it is not all ASCII.
        static func asciiDigest(_ text: String) -> UInt64? {
            // (Over the bytes in place: the UTF8View's iterator cost a call per byte.)
            var text = text
            return text.withUTF8 { bytes in
                var digest: UInt64 = 0xcbf2_9ce4_8422_2325
                var high: UInt8 = 0
                for byte in bytes {
                    high |= byte
                    digest = (digest ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                }
                return high < 0x80 ? digest : nil
            }
        }

        /// The key's tag in a ``ProbingTable``: the code's digest mixed with the lengths of the
        /// value set and system.
        var tag: UInt64 {
            let lengths = UInt64(valueSet.utf8.count) << 32 | UInt64(system.map { $0.utf8.count + 1 } ?? 0)
            return ProbingTable<Key, LocalTerminology.Membership>.tag((codeDigest ^ lengths) &* 0x9E37_79B9_7F4A_7C15)
        }
    }

    /// A value set URL hashed by its length and last eight bytes (value set URLs differ at the end).
    struct URLKey: Hashable, Sendable {
        var url: String

        func hash(into hasher: inout Hasher) {
            hasher.combine(url.utf8.count)
            hasher.combine(Self.tail(url))
        }

        /// The last eight bytes of `url` as one number.
        static func tail(_ url: String) -> UInt64 {
            var tail: UInt64 = 0
            for b in url.utf8.suffix(8) { tail = tail << 8 | UInt64(b) }
            return tail
        }
    }

    static let limit = 100_000

    private let memberships = Locked(ProbingTable<Key, LocalTerminology.Membership>(capacity: 256))
    private let available = Locked<[URLKey: Bool]>([:])

    func hasValueSet(_ valueSet: String, _ terminology: LocalTerminology) -> Bool {
        let key = URLKey(url: valueSet)
        if let hit = available.withLock({ $0[key] }) { return hit }
        let answer = terminology.hasValueSet(valueSet)
        available.withLock { if $0.count < Self.limit { $0[key] = answer } }
        return answer
    }

    func membership(system: String?, code: String, valueSet: String, _ terminology: LocalTerminology)
        -> LocalTerminology.Membership
    {
        // (Text beyond ASCII, rare in codes, is not kept: asked directly.)
        guard let key = Key(valueSet: valueSet, system: system, code: code) else {
            return terminology.membership(system: system, code: code, valueSet: valueSet)
        }
        if let hit = memberships.withLock({ $0.find(key, tag: key.tag) }) { return hit }
        let answer = terminology.membership(system: system, code: code, valueSet: valueSet)
        memberships.withLock { if $0.count < Self.limit { $0.insert(key, tag: key.tag, answer) } }
        return answer
    }
}

/// Whether value sets are held, remembered by one walk: a few value sets are asked about again
/// and again, and a short list compared by length first costs less than the shared answers'
/// lock and hash.
struct KnownValueSets {
    private var entries: [(url: String, held: Bool)] = []

    mutating func isAvailable(_ url: String, _ answers: TerminologyAnswers, _ terminology: LocalTerminology) -> Bool {
        let length = url.utf8.count
        for entry in entries where entry.url.utf8.count == length && entry.url == url { return entry.held }
        let held = answers.hasValueSet(url, terminology)
        if entries.count < 32 { entries.append((url, held)) }
        return held
    }
}
