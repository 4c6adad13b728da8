import FHIRModel
import FHIRPath

/// Native forms of the invariants of ElementDefinition (evaluated on every element of every
/// StructureDefinition's snapshot and differential) and NamingSystem. Each decides only the inputs
/// whose FHIRPath answer is plain; anything unusual (several items where one is expected, values
/// of an unexpected type, text outside printable ASCII where a regular expression would judge it)
/// is `undecided`.
extension NativeInvariant {
    /// The first child named `name` and how many there are (counting stops at 2).
    static func only(_ node: ElementNode, _ name: String) -> (count: Int, first: ElementNode?) {
        var count = 0
        var first: ElementNode?
        let kids = node.children
        for i in kids.indices where InvariantLogic.sameName(kids[i].name, name) {
            if count == 0 { first = kids[i] }
            count += 1
            if count == 2 { break }
        }
        return (count, first)
    }

    /// The string value of the single child `name`: `.absent` when there is none, `nil` when the
    /// answer is not plain (several children, no value, a value that is not a string).
    enum SingleString {
        case absent
        case text(String)
    }

    static func singleString(_ node: ElementNode, _ name: String) -> SingleString? {
        let found = only(node, name)
        guard let item = found.first else { return .absent }
        guard found.count == 1, case .string(let s)? = systemValue(item) else { return nil }
        return .text(s)
    }

    /// `toInteger()` of a string of 1 to 9 ASCII digits, optionally after `-`; `nil` for other text.
    static func smallInteger(_ text: String) -> Int? {
        var bytes = text.utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var n = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int(b - UInt8(ascii: "0"))
        }
        return negative ? -n : n
    }

    /// Whether the text has an ASCII digit or sign (so `toInteger()` might read it).
    static func mayBeInteger(_ text: String) -> Bool {
        text.utf8.contains { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == 0x2B || $0 == 0x2D }
    }

    /// eld-2: `min.empty() or max.empty() or (max = '*') or iif(max != '*', min <= max.toInteger())`.
    static func cardinalityOrdered(_ node: ElementNode) -> Outcome {
        let min = only(node, "min")
        let max = only(node, "max")
        guard min.count <= 1, max.count <= 1 else { return .undecided }
        guard let minNode = min.first, let maxNode = max.first else { return .pass }
        guard case .string(let text)? = systemValue(maxNode) else { return .undecided }
        if text == "*" { return .pass }
        guard let limit = smallInteger(text) else {
            // No integer: the comparison is empty, and so is the whole expression.
            return mayBeInteger(text) ? .undecided : .pass
        }
        guard case .integer(let least)? = systemValue(minNode) else { return .undecided }
        return least <= limit ? .pass : .fail
    }

    /// eld-3 on `max`: `empty() or ($this = '*') or (toInteger() >= 0)`.
    static func maxIsStarOrNonNegative(_ node: ElementNode) -> Outcome {
        guard node.isPrimitive, case .string(let text)? = systemValue(node) else { return .undecided }
        if text == "*" { return .pass }
        guard let n = smallInteger(text) else { return mayBeInteger(text) ? .undecided : .pass }
        return n >= 0 ? .pass : .fail
    }

    /// eld-11: a binding only on a coded type. As published, the `select` yields a boolean for any
    /// type with a code, so the rule fails only when no `type.code` has a value.
    static func bindingOnCodedType(_ node: ElementNode) -> Outcome {
        guard only(node, "binding").count > 0 else { return .pass }
        var anyCode = false
        for type in node.children where InvariantLogic.sameName(type.name, "type") {
            let code = only(type, "code")
            guard let item = code.first else { continue }
            anyCode = true
            if code.count == 1, case .string? = systemValue(item) { return .pass }
        }
        return anyCode ? .undecided : .pass
    }

    /// eld-12: `valueSet.exists() implies (valueSet.startsWith('http:') or ...('https') or ...('urn:'))`.
    static func valueSetURLScheme(_ node: ElementNode) -> Outcome {
        switch singleString(node, "valueSet") {
        case .absent?: return .pass
        case nil: return .undecided
        case .text(let text)?:
            let bytes = Array(text.utf8)
            // (A combining mark after the prefix would change the character comparison: left.)
            func starts(_ prefix: String) -> Bool {
                let p = Array(prefix.utf8)
                return bytes.count >= p.count && Array(bytes[0..<p.count]) == p
                    && (bytes.count == p.count || bytes[p.count] < 0x80)
            }
            if starts("http:") || starts("https") || starts("urn:") { return .pass }
            return bytes.allSatisfy { $0 < 0x80 } ? .fail : .undecided
        }
    }

    /// A `matches` on the single child `name`, judged by `judge` (true, false, or `nil` when the
    /// text is left to the regular expression engine).
    static func matchesChild(_ node: ElementNode, _ name: String, _ judge: ([UInt8]) -> Bool?) -> Outcome {
        switch singleString(node, name) {
        case .absent?: return .pass
        case nil: return .undecided
        case .text(let text)?:
            guard text.utf8.count <= InvariantLogic.maxNativeMatchLength, let matched = judge(Array(text.utf8)) else {
                return .undecided
            }
            return matched ? .pass : .fail
        }
    }

    static func isPrintableASCII(_ b: UInt8) -> Bool { b >= 0x20 && b < 0x7F }

    /// eld-16: `^[a-zA-Z0-9\/\-_\[\]\@]+$`.
    static func sliceNameMatches(_ text: [UInt8]) -> Bool? {
        func allowed(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
                || b == UInt8(ascii: "/") || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b == UInt8(ascii: "@")
        }
        if !text.isEmpty && text.allSatisfy(allowed) { return true }
        // A printable character outside the class anywhere: no match (`$` may only skip a final
        // line break). Otherwise (line breaks, other scripts) the engine decides.
        return text.contains { isPrintableASCII($0) && !allowed($0) } ? false : nil
    }

    /// eld-19, found anywhere: one character outside whitespace and `.,:;'"/|?!@#$%&*()[]{}`.
    static func elementPathHasPlainCharacter(_ text: [UInt8]) -> Bool? {
        let excluded = Array(".,:;'\"/|?!@#$%&*()[]{}".utf8)
        if text.contains(where: { $0 > 0x20 && $0 < 0x7F && !excluded.contains($0) }) { return true }
        return text.allSatisfy(isPrintableASCII) ? false : nil
    }

    /// eld-20, found anywhere: the pattern needs one ASCII letter and nothing more.
    static func hasASCIILetter(_ text: [UInt8]) -> Bool? {
        text.contains { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) }
    }

    /// nsd-1: `kind != 'root' or uniqueId.all(type != 'uuid')`.
    static func rootNotUUID(_ node: ElementNode) -> Outcome {
        let kind = only(node, "kind")
        guard let kindNode = kind.first else { return .pass }  // empty or (true | false): never false
        guard kind.count == 1 else { return .undecided }
        switch systemValue(kindNode) {
        case nil: return .pass
        case .string(let s)?: if s != "root" { return .pass }
        default: return .undecided
        }
        for uniqueId in node.children where InvariantLogic.sameName(uniqueId.name, "uniqueId") {
            switch singleString(uniqueId, "type") {
            case .text(let t)?: if t == "uuid" { return .fail }
            case .absent?: return .fail  // `type != 'uuid'` is empty: not true
            case nil: return .undecided
            }
        }
        return .pass
    }

    /// nsd-2: `uniqueId.where(preferred = true).select(type).isDistinct()`.
    static func preferredTypesDistinct(_ node: ElementNode) -> Outcome {
        var types: [ElementNode] = []
        for uniqueId in node.children where InvariantLogic.sameName(uniqueId.name, "uniqueId") {
            let preferred = only(uniqueId, "preferred")
            guard let flag = preferred.first else { continue }
            guard preferred.count == 1 else { return .undecided }
            switch systemValue(flag) {
            case .boolean(true)?: break
            case .boolean(false)?, nil: continue
            default: return .undecided
            }
            for type in uniqueId.children where InvariantLogic.sameName(type.name, "type") { types.append(type) }
        }
        guard let distinct = InvariantLogic.distinctStrings(types) else { return .undecided }
        return distinct ? .pass : .fail
    }
}
