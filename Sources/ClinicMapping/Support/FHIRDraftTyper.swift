import FHIRModel

/// Turns ``FHIRDraft`` trees into typed ``ElementNode`` trees with the R4 ``ModelInfo``, the way
/// the readers build them: each element gets its FHIR type, the `.choice`, `.listItem`,
/// `.primitive` and `.resource` flags, and children are put in definition order (the XML writer
/// needs it). Names the model does not know are reported, never guessed.
public struct FHIRDraftTyper: Sendable {
    public let model: ModelInfo

    public init(model: ModelInfo) {
        self.model = model
    }

    /// The typed resource and the paths of any names the model did not know (a translator bug).
    public func resource(_ draft: FHIRDraft) -> (node: ElementNode, unknown: [String]) {
        var unknown: [String] = []
        let node = typeResource(draft, name: draft.resourceType ?? draft.name, flags: [], unknown: &unknown)
        return (node, unknown)
    }

    private func typeResource(_ draft: FHIRDraft, name: String, flags: ElementNode.Flags, unknown: inout [String])
        -> ElementNode
    {
        let type = draft.resourceType ?? draft.name
        guard let summary = model.type(named: type), summary.kind == .resource else {
            unknown.append(type)
            return ElementNode(name: name, typeName: type, flags: flags.union([.resource, .unknown]))
        }
        let children = typeChildren(draft.children, of: summary, path: type, unknown: &unknown)
        return ElementNode(name: name, typeName: type, children: children, flags: flags.union(.resource))
    }

    private func typeChildren(_ drafts: [FHIRDraft], of summary: TypeSummary, path: String, unknown: inout [String])
        -> [ElementNode]
    {
        var placed: [(index: Int, order: Int, node: ElementNode)] = []
        for (order, draft) in drafts.enumerated() {
            let here = path + "." + draft.name
            guard let resolved = summary.resolve(wireName: draft.name) else {
                unknown.append(here)
                continue
            }
            let element = resolved.element
            var flags: ElementNode.Flags = []
            if element.isArray { flags.insert(.listItem) }
            if element.isChoice { flags.insert(.choice) }
            let node: ElementNode
            if var given = draft.typedResource {
                given.name = element.name
                given.flags.formUnion(flags.union(.resource))
                node = given
            } else if element.holdsResource || draft.resourceType != nil {
                node = typeResource(draft, name: element.name, flags: flags, unknown: &unknown)
            } else if model.isPrimitiveType(resolved.typeCode) {
                flags.insert(.primitive)
                let children =
                    model.type(named: resolved.typeCode).map {
                        typeChildren(draft.children, of: $0, path: here, unknown: &unknown)
                    } ?? []
                node = ElementNode(
                    name: element.name, typeName: resolved.typeCode, value: draft.value, children: children,
                    flags: flags)
            } else {
                guard let childSummary = model.childSummary(of: element, type: resolved.typeCode) else {
                    unknown.append(here)
                    continue
                }
                node = ElementNode(
                    name: element.name, typeName: resolved.typeCode,
                    children: typeChildren(draft.children, of: childSummary, path: here, unknown: &unknown),
                    flags: flags)
            }
            placed.append((resolved.index, order, node))
        }
        placed.sort { ($0.index, $0.order) < ($1.index, $1.order) }
        return placed.map(\.node)
    }
}
