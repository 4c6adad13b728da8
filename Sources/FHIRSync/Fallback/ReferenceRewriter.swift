import ClinicMapping
import FHIRModel

extension ClinicalNoteFallback {
    /// Where a reference to a folded resource points to its note instead: elements whose R4
    /// targets include DocumentReference and that none of our profiles narrows (an
    /// `Observation.derivedFrom` of our score profiles must be a QuestionnaireResponse, a referral
    /// Task's `focus` a ServiceRequest), by element path.
    static let allowsDocumentReference: Set<String> = [
        "Provenance.target", "Provenance.entity.what", "Procedure.report", "Communication.payload.content",
        "List.entry.item", "Composition.section.entry",
    ]

    /// The resources with no reference left to a resource that is not sent:
    /// - a reference to a folded resource, where the element allows a DocumentReference
    ///   (``allowsDocumentReference``: `Provenance.target`, `Procedure.report`...), points
    ///   to the note instead; a repeating element names each note once;
    /// - any other reference to a folded resource, or to one of `notSent` (refused and not
    ///   folded, see ``unfolded(_:notes:)``), loses its `reference` (and `type`, `identifier`)
    ///   and keeps a `display` (its own, else `Encounter, not sent to this system (in the
    ///   clinical note)`). The element stays, so what our profiles require (an Observation's
    ///   encounter) is still there, and nothing dangles.
    ///
    /// The notes need no rewriting: ``fold(_:all:)`` gives them no reference to a refused resource.
    public func rewriteReferences(
        in resources: [TranslatedResource], folded: [FoldedNote], notSent: [String] = []
    ) -> [TranslatedResource] {
        var replacements: [String: Replacement] = [:]
        for note in folded {
            for ref in note.folded { replacements[ref] = .note(note.note.reference) }
        }
        for ref in notSent where replacements[ref] == nil { replacements[ref] = .notSent }
        guard !replacements.isEmpty else { return resources }
        return resources.map { r in
            var copy = r
            copy.resource = Self.rewrite(r.resource, path: r.resourceType, replacements)
            return copy
        }
    }

    enum Replacement {
        case note(String)
        case notSent
    }

    private static func rewrite(_ node: ElementNode, path: String, _ replacements: [String: Replacement])
        -> ElementNode
    {
        var kept: [ElementNode] = []
        kept.reserveCapacity(node.children.count)
        var pointed: Set<String> = []
        for child in node.children {
            if child.isResource {
                kept.append(rewrite(child, path: child.typeName ?? child.name, replacements))
                continue
            }
            let here = path + "." + child.name
            if child.typeName == "Reference", let value = child.childValue("reference"),
                let ref = ResourceReferences.normalize(value), let replacement = replacements[ref]
            {
                switch replacement {
                case .note(let note) where allowsDocumentReference.contains(here):
                    if pointed.insert(child.name + " " + note).inserted {
                        kept.append(reference(like: child, to: note))
                    }
                case .note:
                    kept.append(displayOnly(child, type: ResourceReferences.type(of: ref), inNote: true))
                case .notSent:
                    kept.append(displayOnly(child, type: ResourceReferences.type(of: ref), inNote: false))
                }
                continue
            }
            if child.isPrimitive || child.children.isEmpty {
                kept.append(child)
            } else {
                kept.append(rewrite(child, path: here, replacements))
            }
        }
        var copy = node
        copy.children = kept
        return copy
    }

    /// The reference `child` pointing to `target` (its display, type and identifier described
    /// the old target and are dropped).
    static func reference(like child: ElementNode, to target: String) -> ElementNode {
        var copy = child
        copy.children = child.children.filter { $0.name == "id" || $0.name == "extension" }
        copy.children.append(.primitive("reference", type: "string", value: target))
        return copy
    }

    /// The reference `child` with only its display (and `id`, `extension`).
    static func displayOnly(_ child: ElementNode, type: Substring, inNote: Bool) -> ElementNode {
        var copy = child
        let display =
            child.childValue("display")
            ?? ClinicalNoteText.words(String(type)) + ", not sent to this system"
            + (inNote ? " (in the clinical note)" : "")
        copy.children = child.children.filter { $0.name == "id" || $0.name == "extension" }
        copy.children.append(.primitive("display", type: "string", value: display))
        return copy
    }
}
