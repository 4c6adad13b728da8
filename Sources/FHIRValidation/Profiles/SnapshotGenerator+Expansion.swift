import FHIRJSON
import FHIRModel

extension SnapshotGenerator.Builder {
    /// Expands the children of element `i` (which has none yet) from its type's definition (the
    /// type's profile when the element names exactly one) or from the element its
    /// `contentReference` points at; reports and returns false when that is not possible.
    mutating func expand(_ i: Int, target: String) -> Bool {
        let element = elements[i]
        let children: [WorkElement]
        if let reference = element.json["contentReference"]?.stringValue {
            guard let copied = referencedChildren(reference, for: element, target: target) else { return false }
            children = copied
        } else {
            guard let source = typeDefinition(of: element, target: target) else { return false }
            let ids = ElementID.standardIDs(source.elements.map { ($0.path, $0.sliceName) })
            let rootPath = source.elements[0].path
            let rootID = ids[0]
            var list: [WorkElement] = []
            list.reserveCapacity(source.elements.count)
            for (k, e) in source.elements.enumerated().dropFirst() {
                guard var json = ElementJSON(e.raw) else { continue }
                let path = ElementID.rebase(e.path, from: rootPath, to: element.path)
                json["path"] = .string(path)
                list.append(
                    WorkElement(
                        id: ElementID.rebase(ids[k], from: rootID, to: element.id), path: path, json: json,
                        origin: .expanded))
            }
            children = list
        }
        guard !children.isEmpty else {
            report(.error, target, "cannot be constrained: \(element.path) has no children to constrain")
            return false
        }
        guard elements.count + children.count <= SnapshotGenerator.maxElements else {
            report(.error, target, "the snapshot grows beyond \(SnapshotGenerator.maxElements) elements")
            return false
        }
        if let reference = element.json["contentReference"], let r = referencedIndex(reference.stringValue ?? "") {
            // The children are explicit now: the element takes the referenced element's type.
            elements[i].json["contentReference"] = nil
            elements[i].json["type"] = elements[r].original["type"]
        }
        insert(children, at: i + 1)
        return true
    }

    /// The definition whose elements become the children of `element`.
    mutating func typeDefinition(of element: WorkElement, target: String) -> ResolvedProfile? {
        let entries = element.json["type"]?.arrayValue ?? []
        let codes = Set(entries.compactMap(ElementDefinitionInfo.typeCode))
        guard codes.count == 1, let code = codes.first else {
            report(
                .error, target,
                codes.isEmpty
                    ? "cannot be constrained: \(element.path) has no type to take children from"
                    : "cannot be constrained: \(element.path) has several types (constrain one by its renamed form, such as valueQuantity)"
            )
            return nil
        }
        if entries.count == 1, let profiles = entries[0]["profile"]?.arrayValue, profiles.count == 1,
            let profileURL = profiles[0].stringValue
        {
            if let profile = catalog.profile(url: profileURL), !profile.elements.isEmpty {
                return profile
            }
            report(
                .warning, target,
                "the type profile \(profileURL) of \(element.path) cannot be found; its children come from the type \(code)"
            )
        }
        guard let base = catalog.base(type: code), !base.elements.isEmpty else {
            report(.error, target, "the definition of the type \(code) of \(element.path) cannot be found")
            return nil
        }
        return base
    }

    /// The element a content reference names (the base type's root may have been renamed).
    mutating func referencedIndex(_ reference: String) -> Int? {
        guard let path = reference.split(separator: "#", omittingEmptySubsequences: false).last, !path.isEmpty
        else { return nil }
        return index(ofID: ElementID.rebase(String(path), from: baseRootName, to: rootName))
            ?? index(ofID: String(path))
    }

    /// Copies of the children of the element a `contentReference` (`#Questionnaire.item`) names.
    mutating func referencedChildren(_ reference: String, for element: WorkElement, target: String) -> [WorkElement]? {
        let referencedPath = reference.split(separator: "#", omittingEmptySubsequences: false).last.map(String.init)
        guard let referencedPath, !referencedPath.isEmpty else {
            report(.error, target, "the content reference of \(element.path) is malformed")
            return nil
        }
        guard let r = referencedIndex(reference) else {
            report(.error, target, "the content reference \(reference) of \(element.path) cannot be resolved")
            return nil
        }
        let referenced = elements[r]
        var list: [WorkElement] = []
        var skipped: [String] = []
        for j in r + 1..<subtreeEnd(r) {
            let e = elements[j]
            if e.origin == .added || skipped.contains(where: { Self.isWithin(e.id, $0) }) {
                skipped.append(e.id)
                continue
            }
            var json = e.original
            let path = ElementID.rebase(e.path, from: referenced.path, to: element.path)
            json["path"] = .string(path)
            list.append(
                WorkElement(
                    id: ElementID.rebase(e.id, from: referenced.id, to: element.id), path: path, json: json,
                    origin: .expanded))
        }
        return list
    }
}
