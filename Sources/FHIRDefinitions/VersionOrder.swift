/// Ordering of package and resource versions.
///
/// Semantic versions compare by their numeric parts, then a release sorts after its
/// pre-releases (`1.0.0-ballot` < `1.0.0`), and pre-release identifiers compare as in SemVer 2
/// (numbers numerically and before words). Build labels (`+...`) are ignored. Versions that are
/// not semantic (`20130510`, `R4-final`) compare part by part: numeric parts as numbers, others
/// as text, with numbers before text.
public enum VersionOrder {
    /// Returns a negative number when `a` is older than `b`, zero when equal, positive when newer.
    public static func compare(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        let pa = parse(a)
        let pb = parse(b)
        let coreOrder = compareParts(pa.core, pb.core)
        if coreOrder != 0 { return coreOrder }
        switch (pa.pre.isEmpty, pb.pre.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return compareParts(pa.pre, pb.pre)
        }
    }

    /// Whether `a` is newer than `b`.
    public static func isNewer(_ a: String, than b: String) -> Bool { compare(a, b) > 0 }

    /// The newest of `versions`, if any.
    public static func newest(_ versions: some Sequence<String>) -> String? {
        var best: String?
        for v in versions where best.map({ compare(v, $0) > 0 }) ?? true { best = v }
        return best
    }

    /// Whether a concrete `version` satisfies a dependency `pattern` from a package manifest:
    /// an exact version, or one with `x`/`X`/`*` wildcard parts (`4.0.x`), or `latest`/`*`
    /// (any version).
    public static func matches(_ version: String, pattern: String) -> Bool {
        if pattern == version { return true }
        if pattern == "latest" || pattern == "*" || pattern.isEmpty { return true }
        let wildcard: Set<Substring> = ["x", "X", "*"]
        let patternParts = pattern.split(separator: ".", omittingEmptySubsequences: false)
        guard patternParts.contains(where: { wildcard.contains($0) }) else { return false }
        let versionParts = stripBuild(version).split(separator: ".", omittingEmptySubsequences: false)
        for (i, p) in patternParts.enumerated() {
            if wildcard.contains(p) { return true }
            guard i < versionParts.count, versionParts[i] == p else { return false }
        }
        return patternParts.count == versionParts.count
    }

    private enum Part {
        case number(UInt64, String)
        case text(String)
    }

    private static func stripBuild(_ s: String) -> Substring {
        let sub = Substring(s)
        guard let plus = sub.firstIndex(of: "+") else { return sub }
        return sub[..<plus]
    }

    private static func parse(_ s: String) -> (core: [Part], pre: [Part]) {
        let noBuild = stripBuild(s)
        var core = noBuild
        var pre: Substring = ""
        // A pre-release label starts at the first '-' after a numeric core.
        if let dash = noBuild.firstIndex(of: "-") {
            let head = noBuild[..<dash]
            if !head.isEmpty, head.allSatisfy({ $0 == "." || $0.isASCII && $0.isNumber }) {
                core = head
                pre = noBuild[noBuild.index(after: dash)...]
            }
        }
        return (splitParts(core), pre.isEmpty ? [] : splitParts(pre))
    }

    private static func splitParts(_ s: Substring) -> [Part] {
        s.split(separator: ".", omittingEmptySubsequences: false).map { part in
            if !part.isEmpty, part.utf8.count <= 18, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let n = UInt64(part)
            {
                return .number(n, String(part))
            }
            return .text(String(part))
        }
    }

    private static func compareParts(_ a: [Part], _ b: [Part]) -> Int {
        for i in 0..<max(a.count, b.count) {
            guard i < a.count else { return -1 }
            guard i < b.count else { return 1 }
            switch (a[i], b[i]) {
            case (.number(let x, _), .number(let y, _)):
                if x != y { return x < y ? -1 : 1 }
            case (.number, .text):
                return -1
            case (.text, .number):
                return 1
            case (.text(let x), .text(let y)):
                if x != y { return x < y ? -1 : 1 }
            }
        }
        return 0
    }
}
