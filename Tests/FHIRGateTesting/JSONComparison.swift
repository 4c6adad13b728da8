import FHIRGate

/// JSON value comparison for tests: objects by key (any order), arrays in order, number
/// lexemes exact, and narrative `div` strings compared as XML.
public enum JSONComparison {
    public struct MissingThreshold: Error, CustomStringConvertible {
        public let description: String
    }

    /// A `"key": number` entry of Tests/ConformanceTests/thresholds.json (pass counts that only go up).
    public static func threshold(_ key: String) throws -> Int {
        let path = TestSupport.repoRoot + "/Tests/ConformanceTests/thresholds.json"
        guard case .number(let lexeme)? = try JSONValue.parse(try FileBytes.read(path))[key], let n = Int(lexeme) else {
            throw MissingThreshold(description: "thresholds.json has no number for '\(key)'")
        }
        return n
    }

    /// The first place where `a` and `b` differ, or nil. With `looseNarratives`, narratives that
    /// differ only in whitespace layout count as equal.
    public static func firstDifference(
        _ a: JSONValue, _ b: JSONValue, path: String = "$", looseNarratives: Bool = false
    ) -> String? {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in x.keys where y[key] == nil { return "\(path).\(key): missing on the right" }
            for key in y.keys where x[key] == nil { return "\(path).\(key): extra on the right" }
            for (key, value) in x.pairs {
                guard let other = y[key] else { continue }
                if key == "div", case .string(let s) = value, case .string(let t) = other {
                    if !narrativesEqual(s, t, loose: looseNarratives) { return "\(path).div: narratives differ as XML" }
                    continue
                }
                if let d = firstDifference(value, other, path: path + "." + key, looseNarratives: looseNarratives) {
                    return d
                }
            }
            return nil
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return "\(path): \(x.count) items vs \(y.count)" }
            for i in x.indices {
                if let d = firstDifference(x[i], y[i], path: "\(path)[\(i)]", looseNarratives: looseNarratives) {
                    return d
                }
            }
            return nil
        default:
            return a == b ? nil : "\(path): \(kind(a)) differs from \(kind(b))"
        }
    }

    public static func narrativesEqual(_ a: String, _ b: String, loose: Bool) -> Bool {
        guard loose else { return XHTMLNarrative.equivalent(a, b) }
        guard let ka = try? XHTMLNarrative.looseComparisonKey(a), let kb = try? XHTMLNarrative.looseComparisonKey(b)
        else {
            return false
        }
        return ka == kb
    }

    private static func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool(let b): "boolean \(b)"
        case .number(let n): "number \(n)"
        case .string(let s): "string(\(s.utf8.count) bytes)"
        case .array: "array"
        case .object: "object"
        }
    }
}
