import FHIRJSON
import FHIRModel

extension SnapshotGenerator.Builder {
    /// Finds (creating slices, expanded children and renamed choices on the way) the element a
    /// differential element constrains; reports and returns nil when it is not in the base.
    mutating func locate(_ target: String, differential: ElementJSON) -> Int? {
        let segments = ElementID.segments(target)
        guard segments.count <= SnapshotGenerator.maxPathDepth else {
            report(.error, nil, "a differential element's path is deeper than \(SnapshotGenerator.maxPathDepth) levels")
            return nil
        }
        guard let first = segments.first, first.name == rootName || first.name == baseRootName,
            !elements.isEmpty
        else {
            report(.error, target, "does not start with the profile's type \(rootName)")
            return nil
        }
        var current = 0
        for (k, segment) in segments.enumerated().dropFirst() {
            let isLast = k == segments.count - 1
            let created = isLast && segment.slice == nil && addsElements ? differential : nil
            guard let child = child(of: current, named: segment.name, target: target, creating: created) else {
                return nil
            }
            current = child
            if let slice = segment.slice {
                guard let s = self.slice(of: current, named: slice, target: target) else { return nil }
                current = s
            }
        }
        return current
    }

    /// The child `name` of element `parent`: an existing child, a renamed choice (`valueQuantity`
    /// for `value[x]`), or one of the children of the parent's type, expanded on first use.
    mutating func child(of parent: Int, named name: String, target: String, creating: ElementJSON?) -> Int? {
        let childID = elements[parent].id + "." + name
        if let i = index(ofID: childID) { return i }
        switch renamedChoice(of: parent, named: name, target: target) {
        case .found(let i): return i
        case .rejected: return nil
        case .none: break
        }
        if !hasChildren(parent) && creating == nil {
            guard expand(parent, target: target) else { return nil }
            if let i = index(ofID: childID) { return i }
            switch renamedChoice(of: parent, named: name, target: target) {
            case .found(let i): return i
            case .rejected: return nil
            case .none: break
            }
        }
        if creating != nil {
            return addElement(named: name, under: parent)
        }
        report(.error, target, "is not an element of the base definition \(baseURL)")
        return nil
    }

    /// Adds a new element (specializations and logical models) as the parent's last child.
    mutating func addElement(named name: String, under parent: Int) -> Int {
        let at = subtreeEnd(parent)
        let path = elements[parent].path + "." + name
        var json = ElementJSON()
        json["path"] = .string(path)
        insert([WorkElement(id: elements[parent].id + "." + name, path: path, json: json, origin: .added)], at: at)
        return at
    }

    enum ChoiceMatch {
        case found(Int)
        /// A renamed choice whose type the base does not allow (reported).
        case rejected
    }

    /// `valueQuantity` under `parent` when the parent has a `value[x]` child allowing Quantity.
    /// A single renamed type narrows the choice element in place; several renamed types of the
    /// same choice (or a choice the base already slices) become type slices (`value[x]:valueQuantity`).
    mutating func renamedChoice(of parent: Int, named name: String, target: String) -> ChoiceMatch? {
        let parentID = elements[parent].id
        for i in children(of: parent) {
            let childName = elements[i].id.dropFirst(parentID.count + 1)
            guard childName.hasSuffix("[x]") else { continue }
            let baseName = childName.dropLast(3)
            guard name.count > baseName.count, name.hasPrefix(baseName) else { continue }
            let suffix = String(name.dropFirst(baseName.count))
            guard suffix.first?.isUppercase == true else { continue }
            let entries = elements[i].json["type"]?.arrayValue ?? []
            let matching = entries.filter { Self.typeSuffix($0) == suffix }
            guard !matching.isEmpty else {
                report(.error, target, "renames \(elements[i].path) to a type the base does not allow")
                return .rejected
            }
            let renamed = renamedTypes(of: elements[i].path)
            if elements[i].json["slicing"] == nil && !hasSlices(i) && renamed.count <= 1 {
                if matching.count < entries.count { elements[i].json["type"] = .array(matching) }
                return .found(i)
            }
            if elements[i].json["slicing"] == nil {
                elements[i].json["slicing"] = Self.typeSlicing(rules: "closed")
                let kept = entries.filter { e in Self.typeSuffix(e).map { renamed.contains($0) } ?? false }
                if !kept.isEmpty && kept.count < entries.count { elements[i].json["type"] = .array(kept) }
            }
            guard let s = slice(of: i, named: name, target: target) else { return .rejected }
            return .found(s)
        }
        return nil
    }

    /// The type name as it appears in a renamed choice (`Quantity`, `String`, `DateTime`).
    static func typeSuffix(_ entry: JSONValue) -> String? {
        guard let code = ElementDefinitionInfo.typeCode(entry), let first = code.first else { return nil }
        return first.uppercased() + code.dropFirst()
    }

    /// The type suffixes the differential renames the choice element at `choicePath` to.
    func renamedTypes(of choicePath: String) -> Set<String> {
        guard choicePath.hasSuffix("[x]") else { return [] }
        let stem = String(choicePath.dropLast(3))
        var found: Set<String> = []
        for path in differentialPaths where path.hasPrefix(stem) {
            let rest = path.dropFirst(stem.count).prefix { $0 != "." }
            if let first = rest.first, first.isUppercase { found.insert(String(rest)) }
        }
        return found
    }

    func hasSlices(_ i: Int) -> Bool {
        let end = subtreeEnd(i)
        return end < elements.count && elements[end].id.hasPrefix(elements[i].id + ":")
    }

    static func typeSlicing(rules: String) -> JSONValue {
        .object(
            JSONObject([
                (
                    "discriminator",
                    .array([.object(JSONObject([("type", .string("type")), ("path", .string("$this"))]))])
                ),
                ("ordered", .bool(false)), ("rules", .string(rules)),
            ]))
    }

    static let extensionSlicing: JSONValue = .object(
        JSONObject([
            ("discriminator", .array([.object(JSONObject([("type", .string("value")), ("path", .string("url"))]))])),
            ("ordered", .bool(false)), ("rules", .string("open")),
        ]))

    /// The slice `name` of element `sliced`, created when new: a copy of the sliced element (of
    /// the base slice, for a reslice `a/b`) and its inherited children, placed after the element's
    /// existing slices.
    mutating func slice(of sliced: Int, named name: String, target: String) -> Int? {
        let slicedID = elements[sliced].id
        let sliceID = slicedID + ":" + name
        if let i = index(ofID: sliceID) { return i }
        guard !name.isEmpty else {
            report(.error, target, "has an empty slice name")
            return nil
        }
        var source = sliced
        var isReslice = false
        if let slash = name.lastIndex(of: "/") {
            let parentSlice = String(name[..<slash])
            guard let s = index(ofID: slicedID + ":" + parentSlice) ?? copiedCounterpart(parentSlice, of: sliced)
            else {
                report(.error, target, "reslices \(parentSlice), which is not a slice of \(elements[sliced].path)")
                return nil
            }
            source = s
            isReslice = true
        }
        ensureSlicing(sliced, target: target)
        let sourceID = elements[source].id
        // Insert after the source's subtree and its existing slices (reslices, for a slice).
        var at = source + 1
        let sliceMark = sourceID + (isReslice ? "/" : ":")
        while at < elements.count, elements[at].id.hasPrefix(sourceID + ".") || elements[at].id.hasPrefix(sliceMark) {
            at += 1
        }
        var clones: [WorkElement] = []
        var skipped: [String] = []
        for j in source..<subtreeEnd(source) {
            let e = elements[j]
            // A reslice keeps what the slice's own children were constrained to.
            let copied = e.origin == .base || (isReslice && e.origin == .expanded)
            if j != source && (!copied || skipped.contains { Self.isWithin(e.id, $0) }) {
                skipped.append(e.id)
                continue
            }
            // A slice starts from the base's element; a reslice from the slice as constrained.
            var json = isReslice ? e.json : e.original
            let id = ElementID.rebase(e.id, from: sourceID, to: sliceID)
            json["id"] = .string(id)
            if j == source {
                json["sliceName"] = .string(name)
                json["slicing"] = nil
                if elements[sliced].path.hasSuffix("[x]") {
                    narrowChoiceSlice(&json, path: elements[sliced].path, name: name)
                }
            }
            var clone = WorkElement(id: id, path: e.path, json: json, origin: j == source ? .added : .base)
            clone.isNewSlice = j == source
            clones.append(clone)
        }
        insert(clones, at: at)
        return at
    }

    /// Inside a slice (`action:single.extension`), a reslice may name a slice the profile gave the
    /// unsliced element (`action.extension:type`): that slice is copied, as constrained, into the
    /// slice being built, and its index returned.
    mutating func copiedCounterpart(_ sliceName: String, of sliced: Int) -> Int? {
        let slicedID = elements[sliced].id
        let unsliced = ElementID.segments(slicedID).map(\.name).joined(separator: ".")
        guard unsliced != slicedID, let counterpart = index(ofID: unsliced + ":" + sliceName) else { return nil }
        let counterpartID = elements[counterpart].id
        let copyID = slicedID + ":" + sliceName
        let copies = (counterpart..<subtreeEnd(counterpart)).map { j in
            var e = elements[j]
            e.id = ElementID.rebase(e.id, from: counterpartID, to: copyID)
            e.json["id"] = .string(e.id)
            e.original["id"] = .string(e.id)
            return e
        }
        var at = subtreeEnd(sliced)
        while at < elements.count, elements[at].id.hasPrefix(slicedID + ":") { at += 1 }
        insert(copies, at: at)
        return at
    }

    /// A type slice of a choice (`value[x]:valueQuantity`) allows only its type.
    func narrowChoiceSlice(_ json: inout ElementJSON, path: String, name: String) {
        let stem = String(path.split(separator: ".").last?.dropLast(3) ?? "")
        guard name.hasPrefix(stem), name.count > stem.count else { return }
        let suffix = String(name.dropFirst(stem.count))
        let entries = json["type"]?.arrayValue ?? []
        let matching = entries.filter { Self.typeSuffix($0) == suffix }
        if !matching.isEmpty && matching.count < entries.count { json["type"] = .array(matching) }
    }

    /// Slices need a slicing on the sliced element: extensions are sliced by url implicitly, a
    /// choice by type; anything else gets a warning.
    mutating func ensureSlicing(_ sliced: Int, target: String) {
        guard elements[sliced].json["slicing"] == nil, elements[sliced].json["sliceName"] == nil else { return }
        let name = elements[sliced].path.split(separator: ".").last ?? ""
        if name == "extension" || name == "modifierExtension" {
            elements[sliced].json["slicing"] = Self.extensionSlicing
        } else if name.hasSuffix("[x]") {
            elements[sliced].json["slicing"] = Self.typeSlicing(rules: "open")
        } else {
            report(.warning, target, "is a slice of \(elements[sliced].path), which has no slicing")
        }
    }
}
