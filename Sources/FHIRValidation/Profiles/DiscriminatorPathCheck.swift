import FHIRModel

/// Whether a slicing discriminator path can name something in the sliced element's types, read
/// from the type model: each step must be an element of one of the current types
/// (`extension('url')` needs an `extension` element, `resolve()` a Reference or canonical,
/// `ofType(T)` a type that T is or specialises). Ground the model cannot decide (a resource of any
/// type, a type it does not hold, a path outside the discriminator grammar) is accepted.
struct DiscriminatorPathCheck: Sendable {
    let model: ModelInfo

    /// Types reached so far: ModelInfo keys (type names, backbone paths such as
    /// `AuditEvent.agent`), or `nil` for "anything" (not decidable here).
    typealias Scope = Set<String>?

    /// The types of the element at `path` (`AuditEvent.agent.extension`, `Observation.value[x]`,
    /// `Observation.valueQuantity.code`), walked from the root type, with the summary of its
    /// last step; `nil` when the model does not know the path.
    func element(at path: String) -> (types: Set<String>, summary: ElementSummary?)? {
        let segments = path.split(separator: ".").map(String.init)
        guard let root = segments.first, segments.count <= 64, model.type(named: root) != nil else { return nil }
        var names: Set<String> = [root]
        var summary: ElementSummary?
        for segment in segments.dropFirst() {
            var next: Set<String> = []
            var found: ElementSummary?
            for name in names {
                guard let type = model.type(named: name) else { continue }
                let baseName = segment.hasSuffix("[x]") ? String(segment.dropLast(3)) : segment
                if let e = type.element(named: baseName) {
                    found = e
                    for code in e.types { next.insert(e.backbonePath ?? code) }
                } else if let wire = type.resolve(wireName: segment) {
                    found = wire.element
                    next.insert(wire.element.backbonePath ?? wire.typeCode)
                }
            }
            guard let found, !next.isEmpty else { return nil }
            names = next
            summary = found
        }
        return (names, summary)
    }

    /// The starting scope for an element: its stated type codes when it states any (other than
    /// the inline BackboneElement/Element), else the types the model gives its path.
    func startScope(path: String, typeCodes: [String]) -> Scope {
        let stated = typeCodes.filter { $0 != "BackboneElement" && $0 != "Element" }
        if !stated.isEmpty {
            guard stated.allSatisfy({ model.type(named: $0) != nil }) else { return nil }
            return open(Set(stated))
        }
        guard let found = element(at: path) else { return nil }
        return open(found.types)
    }

    /// Whether `path` names something from `scope`; `nil` when that cannot be decided (a path
    /// outside the discriminator grammar).
    func isValid(_ path: String, from scope: Scope) -> Bool? {
        guard let steps = DiscriminatorStep.parse(path) else { return nil }
        var current = scope
        for step in steps {
            guard let names = current else { return true }
            current = apply(step, to: names)
            if let c = current, c.isEmpty { return false }
        }
        return true
    }

    private func apply(_ step: DiscriminatorStep, to names: Set<String>) -> Scope {
        var next: Set<String> = []
        for name in names {
            switch step {
            case .this:
                next.insert(name)
            case .name(let child):
                guard let type = model.type(named: name) else { continue }
                if let e = type.element(named: child) {
                    for code in e.types { next.insert(e.backbonePath ?? code) }
                } else if let wire = type.resolve(wireName: child) {
                    next.insert(wire.element.backbonePath ?? wire.typeCode)
                }
            case .extensionURL:
                if model.type(named: name)?.element(named: "extension") != nil { next.insert("Extension") }
            case .resolve:
                // The target may be any resource the reference allows: not decidable here.
                if name == "Reference" || name == "canonical" { return nil }
            case .ofType(let type):
                if name == type || model.isType(type, a: name) { next.insert(type) }
            }
        }
        return open(next)
    }

    /// A scope holding an abstract resource type (any resource may be there) is undecidable.
    private func open(_ names: Set<String>) -> Scope {
        names.contains("Resource") || names.contains("DomainResource") ? nil : names
    }
}
