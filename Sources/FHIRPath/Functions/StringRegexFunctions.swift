import FHIRModel
import Foundation

/// `matches`, `matchesFull`, `replaceMatches`: regular expressions with ICU (Java-like) syntax
/// through `NSRegularExpression`, case-sensitive, with `.` matching line breaks (the
/// specification's "single line" mode).
///
/// `matches` finds the pattern anywhere in the string (anchor it with `^...$` to match the whole
/// string); `matchesFull` must match the whole string. An invalid pattern is an execution error.
/// Patterns, inputs and the time one evaluation may take are bounded (see ``FHIRPathRegex``).
extension FHIRPathFunctionLibrary {
    static let stringRegexFunctions: [FHIRPathFunction] = [
        FHIRPathFunction("matches", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let pattern = try call.stringArgument(0) else { return [] }
            let regex = try FHIRPathRegex.compiled(pattern, call: call)
            return FHIRPathLogic.just(try FHIRPathRegex.firstMatch(regex, in: s, call: call) != nil)
        },
        FHIRPathFunction("matchesFull", arity: 1...1) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let pattern = try call.stringArgument(0) else { return [] }
            let regex = try FHIRPathRegex.compiled(pattern, call: call, whole: true)
            return FHIRPathLogic.just(try FHIRPathRegex.firstMatch(regex, in: s, call: call) != nil)
        },
        FHIRPathFunction("replaceMatches", arity: 2...2) { call throws(FHIRPathError) in
            guard let s = try call.stringInput(), let pattern = try call.stringArgument(0),
                let substitution = try call.stringArgument(1)
            else { return [] }
            // An empty pattern matches nothing worth replacing: the input comes back unchanged.
            guard !pattern.isEmpty else { return [.string(s)] }
            let regex = try FHIRPathRegex.compiled(pattern, call: call)
            return [.string(try FHIRPathRegex.replaceMatches(regex, in: s, with: substitution, call: call))]
        },
    ]
}

/// Compiled-pattern cache and bounded matching for the regex functions.
enum FHIRPathRegex {
    /// The longest pattern accepted, in UTF-16 units.
    static let maxPatternLength = 4096
    /// The longest input searched, in UTF-16 units (4 Mi).
    static let maxInputLength = 1 << 22
    /// How long one match or replacement may run before it is abandoned as pathological.
    static let timeBudget = Duration.milliseconds(250)
    /// How many compiled patterns are kept.
    static let cacheLimit = 512

    private static let cache = RegexCache()

    /// The compiled pattern (from the cache when seen before); an execution error when invalid.
    static func compiled(_ pattern: String, call: FHIRPathCall, whole: Bool = false) throws(FHIRPathError)
        -> NSRegularExpression
    {
        guard pattern.utf16.count <= maxPatternLength else {
            throw call.failure("the pattern is longer than \(maxPatternLength) characters")
        }
        let source = whole ? "\\A(?:" + pattern + ")\\z" : pattern
        if let regex = cache.get(source) { return regex }
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: source, options: [.dotMatchesLineSeparators])
        } catch {
            throw call.failure("invalid regular expression")
        }
        cache.put(source, regex)
        return regex
    }

    /// The first match in `s`, or `nil`.
    static func firstMatch(_ regex: NSRegularExpression, in s: String, call: FHIRPathCall) throws(FHIRPathError)
        -> NSTextCheckingResult?
    {
        try matches(regex, in: s, call: call, limit: 1).first
    }

    /// Up to `limit` matches in order; an execution error when the input is too long or the
    /// search runs past ``timeBudget``.
    static func matches(_ regex: NSRegularExpression, in s: String, call: FHIRPathCall, limit: Int = .max)
        throws(FHIRPathError) -> [NSTextCheckingResult]
    {
        let length = s.utf16.count
        guard length <= maxInputLength else {
            throw call.failure("the input is longer than \(maxInputLength) characters")
        }
        var found: [NSTextCheckingResult] = []
        var timedOut = false
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeBudget)
        regex.enumerateMatches(
            in: s, options: [.reportProgress], range: NSRange(location: 0, length: length)
        ) { result, _, stop in
            if let result {
                found.append(result)
                if found.count >= limit { stop.pointee = true }
            }
            if clock.now > deadline {
                timedOut = true
                stop.pointee = true
            }
        }
        if timedOut { throw call.failure("the regular expression took too long") }
        return found
    }

    /// Every match replaced by `template`, where `$n` and `${n}` insert group `n`, `${name}` a
    /// named group, and `\` takes the next character literally.
    static func replaceMatches(_ regex: NSRegularExpression, in s: String, with template: String, call: FHIRPathCall)
        throws(FHIRPathError) -> String
    {
        let found = try matches(regex, in: s, call: call)
        guard !found.isEmpty else { return s }
        let text = Array(s.utf16)
        var out: [UInt16] = []
        out.reserveCapacity(text.count)
        var last = 0
        for match in found {
            let r = match.range
            guard r.location != NSNotFound, r.location >= last, r.location + r.length <= text.count else { continue }
            out.append(contentsOf: text[last..<r.location])
            expand(template, match: match, text: text, into: &out)
            last = r.location + r.length
            guard out.count <= FHIRPathText.maxResultBytes else {
                throw call.failure("the result would exceed \(FHIRPathText.maxResultBytes) characters")
            }
        }
        out.append(contentsOf: text[last...])
        return String(decoding: out, as: UTF16.self)
    }

    /// Appends the substitution for one match.
    private static func expand(
        _ template: String, match: NSTextCheckingResult, text: [UInt16], into out: inout [UInt16]
    ) {
        func group(_ range: NSRange) {
            guard range.location != NSNotFound, range.location + range.length <= text.count else { return }
            out.append(contentsOf: text[range.location..<(range.location + range.length)])
        }
        let t = Array(template.utf16)
        let dollar = UInt16(UInt8(ascii: "$"))
        let backslash = UInt16(UInt8(ascii: "\\"))
        let open = UInt16(UInt8(ascii: "{"))
        let close = UInt16(UInt8(ascii: "}"))
        func digit(_ u: UInt16) -> Int? {
            u >= 48 && u <= 57 ? Int(u - 48) : nil
        }
        var i = 0
        while i < t.count {
            let u = t[i]
            if u == backslash, i + 1 < t.count {
                out.append(t[i + 1])
                i += 2
                continue
            }
            guard u == dollar, i + 1 < t.count else {
                out.append(u)
                i += 1
                continue
            }
            if t[i + 1] == open, let end = t[(i + 2)...].firstIndex(of: close) {
                let name = String(decoding: t[(i + 2)..<end], as: UTF16.self)
                if let n = Int(name) {
                    if n < match.numberOfRanges { group(match.range(at: n)) }
                } else {
                    group(match.range(withName: name))
                }
                i = end + 1
                continue
            }
            if let first = digit(t[i + 1]) {
                // The longest run of digits that names an existing group.
                var n = first
                var j = i + 2
                while j < t.count, let d = digit(t[j]), n * 10 + d < match.numberOfRanges {
                    n = n * 10 + d
                    j += 1
                }
                if n < match.numberOfRanges { group(match.range(at: n)) }
                i = j
                continue
            }
            out.append(u)
            i += 1
        }
    }
}

/// A small thread-safe cache of compiled patterns (`NSRegularExpression` is immutable and safe to
/// share). `Synchronization.Mutex` needs macOS 15, so this uses `NSLock`.
private final class RegexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: NSRegularExpression] = [:]

    func get(_ key: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func put(_ key: String, _ regex: NSRegularExpression) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= FHIRPathRegex.cacheLimit { entries.removeAll(keepingCapacity: true) }
        entries[key] = regex
    }
}
