import FHIRModel
import FHIRPath

/// Native forms of the StructureDefinition invariants that visit every element of a snapshot or
/// differential (sdf-3, sdf-8b, sdf-9, sdf-14, sdf-16, sdf-17, sdf-19, sdf-20, sdf-23).
extension NativeInvariant {
    /// The `element` children of the children of `node` named `holder` (`snapshot.element`), or
    /// of every child when `holder` is nil (`children().element`).
    static func elements(_ node: ElementNode, under holder: String?) -> [ElementNode] {
        var out: [ElementNode] = []
        for child in node.children where holder.map({ InvariantLogic.sameName(child.name, $0) }) ?? true {
            for element in child.children where InvariantLogic.sameName(element.name, "element") {
                out.append(element)
            }
        }
        return out
    }

    /// sdf-3 and sdf-8b: `element.all(a.exists() and ...)` on a snapshot.
    static func everyElementHas(_ node: ElementNode, _ names: [String]) -> Outcome {
        for element in node.children where InvariantLogic.sameName(element.name, "element") {
            for name in names where !hasChild(element, name) { return .fail }
        }
        return .pass
    }

    /// sdf-14: `snapshot.element.all(id.exists()) and differential.element.all(id.exists())`.
    static func elementsHaveIDs(_ node: ElementNode) -> Outcome {
        for holder in ["snapshot", "differential"] {
            for element in elements(node, under: holder) where !hasChild(element, "id") { return .fail }
        }
        return .pass
    }

    /// sdf-16 and sdf-17: `holder.element.all(id.exists()) and holder.element.id.isDistinct()`.
    static func elementIDsDistinct(_ node: ElementNode, _ holder: String) -> Outcome {
        let all = elements(node, under: holder)
        var ids: [ElementNode] = []
        for element in all {
            var found = false
            for id in element.children where InvariantLogic.sameName(id.name, "id") {
                ids.append(id)
                found = true
            }
            if !found { return .fail }
        }
        guard let distinct = InvariantLogic.distinctStrings(ids) else { return .undecided }
        return distinct ? .pass : .fail
    }

    /// Whether the single `path` of an element names a root element (`path.contains('.').not()`):
    /// `nil` when the answer is not plain (no path, several, no value, text outside plain ASCII).
    static func isRootPath(_ element: ElementNode) -> Bool? {
        let path = only(element, "path")
        guard path.count == 1, let item = path.first, case .string(let text)? = systemValue(item) else { return nil }
        guard text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
        return !text.utf8.contains(UInt8(ascii: "."))
    }

    /// sdf-20 on a differential: `element.where(path.contains('.').not()).slicing.empty()`.
    static func rootNotSliced(_ node: ElementNode) -> Outcome {
        var sliced = false
        for element in node.children where InvariantLogic.sameName(element.name, "element") {
            guard let root = isRootPath(element) else { return .undecided }
            if root && hasChild(element, "slicing") { sliced = true }
        }
        return sliced ? .fail : .pass
    }

    /// sdf-9: root elements (of snapshot and differential) have no label, code or requirements.
    static func rootUnlabelled(_ node: ElementNode) -> Outcome {
        var labelled = false
        for element in elements(node, under: nil) {
            guard let root = isRootPath(element) else { return .undecided }
            if root && (hasChild(element, "label") || hasChild(element, "code") || hasChild(element, "requirements")) {
                labelled = true
            }
        }
        return labelled ? .fail : .pass
    }

    /// sdf-23: `(snapshot | differential).element.all(path.contains('.').not() implies sliceName.empty())`.
    /// (The union may drop a differential equal to the snapshot: the answer is the same.)
    static func rootNotSliceNamed(_ node: ElementNode) -> Outcome {
        for holder in ["snapshot", "differential"] {
            for element in elements(node, under: holder) {
                guard let root = isRootPath(element) else { return .undecided }
                if root && hasChild(element, "sliceName") { return .fail }
            }
        }
        return .pass
    }

    static let coreDefinitionBase = "http://hl7.org/fhir/StructureDefinition"
    static let systemTypeBase = "http://hl7.org/fhirpath/System."

    /// sdf-19: in a core definition, type codes are simple names (`.` allowed in the snapshot) or
    /// FHIRPath System types.
    static func coreTypeCodes(_ node: ElementNode) -> Outcome {
        switch singleString(node, "url") {
        case nil, .absent?: return .undecided
        case .text(let url)?:
            let prefix = coreDefinitionBase.utf8
            let bytes = url.utf8
            guard bytes.starts(with: prefix) else { return .pass }
            // (A combining mark after the prefix would change the character comparison: left.)
            if let next = bytes.dropFirst(prefix.count).first, next >= 0x80 { return .undecided }
        }
        for (holder, dots) in [("differential", false), ("snapshot", true)] {
            for element in elements(node, under: holder) {
                for type in element.children where InvariantLogic.sameName(type.name, "type") {
                    for code in type.children where InvariantLogic.sameName(code.name, "code") {
                        guard case .string(let text)? = systemValue(code), let ok = typeCodeMatches(text, dots: dots)
                        else { return .undecided }
                        if !ok { return .fail }
                    }
                }
            }
        }
        return .pass
    }

    /// `matches('^[a-zA-Z0-9]+$') or matches('^http:\/\/hl7\.org\/fhirpath\/System\.[A-Z][A-Za-z]+$')`
    /// (with `.` in the first class for the snapshot), for printable ASCII text.
    static func typeCodeMatches(_ text: String, dots: Bool) -> Bool? {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy(isPrintableASCII) else { return nil }
        func letter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) }
        if !bytes.isEmpty
            && bytes.allSatisfy({ letter($0) || ($0 >= 0x30 && $0 <= 0x39) || (dots && $0 == UInt8(ascii: ".")) })
        {
            return true
        }
        let prefix = Array(systemTypeBase.utf8)
        guard bytes.count >= prefix.count + 2, Array(bytes[0..<prefix.count]) == prefix else { return false }
        let name = bytes[prefix.count...]
        guard let first = name.first, first >= 0x41 && first <= 0x5A else { return false }
        return name.dropFirst().allSatisfy(letter)
    }
}

extension NativeInvariant {
    /// sdf-8 (on a snapshot, `differential` false) and sdf-8a (on a differential): the first
    /// element is the root (its path is the type, or for sdf-8a starts with it) unless the
    /// definition is logical, and every later path starts with the root path and a dot (for
    /// sdf-8a, the first path up to its first dot). FHIRPath reads the root path from
    /// `%resource` once per element; here it is read once.
    ///
    /// Paths that are missing a value, repeated, not strings, or (for sdf-8a's regular
    /// expression) not plain ASCII are left to FHIRPath, as is anything `&` or `startsWith`
    /// would raise an error for.
    static func pathsNested(_ node: ElementNode, scope: FHIRPathScope?, differential: Bool) -> Outcome {
        let resource = scope?.resource
        let logical = resource.flatMap { oneOf($0, "kind", ["logical"]) }
        var elements: [Int] = []
        let kids = node.children
        for i in kids.indices where InvariantLogic.sameName(kids[i].name, "element") { elements.append(i) }
        // `element.first().path = %resource.type` (sdf-8) or `.startsWith(%resource.type)` (sdf-8a).
        var rooted: Bool?
        if let first = elements.first {
            guard let path = singlePath(kids[first]) else { return .undecided }
            if let path, let resource {
                let type = only(resource, "type")
                if let typeNode = type.first {
                    guard type.count == 1, case .string(let t)? = systemValue(typeNode) else { return .undecided }
                    rooted = differential ? path.starts(with: t) : path == t
                }
            }
        }
        // `element.tail().all(path.startsWith(prefix))`, the prefix read only when there is a tail.
        var nested = true
        if elements.count > 1 {
            guard let prefix = rootPrefix(resource, differential: differential) else { return .undecided }
            for e in elements.dropFirst() {
                guard let path = singlePath(kids[e]) else { return .undecided }
                // `all()` stops at the first item that is not true (an empty test is not true).
                guard let path, path.starts(with: prefix) else {
                    nested = false
                    break
                }
            }
        }
        // `(logical or rooted) and nested`, with empty for unknown.
        let either: Bool? =
            logical == true || rooted == true ? true : (logical == false && rooted == false ? false : nil)
        if either == false || !nested { return .fail }
        return .pass
    }

    /// The single `path` of an element: `.some(nil)` when there is none, `nil` (undecided) when
    /// there are several, or one without a string value.
    private static func singlePath(_ element: ElementNode) -> String?? {
        let found = only(element, "path")
        guard let item = found.first else { return .some(nil) }
        guard found.count == 1, case .string(let s)? = systemValue(item) else { return nil }
        return .some(s)
    }

    /// `%resource.snapshot.element.first().path & '.'` (sdf-8), or for sdf-8a
    /// `%resource.differential.element.first().path.replaceMatches('\\..*', '') & '.'`;
    /// `nil` when FHIRPath could raise an error or the path is not plain ASCII text.
    private static func rootPrefix(_ resource: ElementNode?, differential: Bool) -> String? {
        guard let resource else { return "." }
        var first: ElementNode?
        outer: for holder in resource.children
        where InvariantLogic.sameName(holder.name, differential ? "differential" : "snapshot") {
            for element in holder.children where InvariantLogic.sameName(element.name, "element") {
                first = element
                break outer
            }
        }
        guard let first else { return "." }
        let found = only(first, "path")
        guard let item = found.first else { return "." }
        guard found.count == 1, let path = concatenationText(item) else { return nil }
        guard differential else { return path + "." }
        // `replaceMatches('\\..*', '')`: from the first dot to the end of the line. Only for
        // printable ASCII (no line ends for `.` to stop at); a path without a value gives ''.
        guard path.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        guard let dot = path.utf8.firstIndex(of: UInt8(ascii: ".")) else { return path + "." }
        return String(path[..<dot]) + "."
    }
}
