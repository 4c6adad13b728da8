import FHIRDefinitions
import FHIRModel
import FHIRPath

extension ResourceWalker {
    /// An extension: the element's own rules, then its definition: inline in the profile (a
    /// complex extension's sub-extension slices), else the StructureDefinition its `url` names,
    /// whose context and modifier flag must fit where it is used.
    mutating func validateExtension(
        _ ext: ElementNode, parent: ElementNode, scope: FHIRPathScope?, profile: ResolvedProfile, index: Int,
        path: ElementPath
    ) {
        let def = profile.elements[index]
        let url = ext.childValue("url")
        let inline = !profile.children(of: index).isEmpty
        if inline || def.types.contains(where: { !$0.profiles.isEmpty }) {
            // The profile (or the extension definition the slice names) describes it.
            validate(ext, scope: scope, profile: profile, index: index, path: path)
            return
        }
        guard let url, !url.isEmpty else {
            issues.append(
                Issue(.error, .extensionURL, "an extension has no url", path: path.text, position: ext.position))
            validate(ext, scope: scope, profile: profile, index: index, path: path)
            return
        }
        guard Self.isAbsolute(url) else {
            // A relative url names a sub-extension of a complex extension; its parent's
            // definition slices it (checked by the parent's profile). Anywhere else the url
            // must be absolute.
            if parent.typeName != "Extension" {
                issues.append(
                    Issue(
                        .error, .extensionURL, "the url of an extension must be an absolute URL", path: path.text,
                        position: ext.position))
            }
            validate(ext, scope: scope, profile: profile, index: index, path: path)
            return
        }
        let versioned = url.utf8.contains(UInt8(ascii: "|"))
        if versioned {
            issues.append(
                Issue(
                    .error, .extensionURL, "the url of an extension must not carry a version ('|')", path: path.text,
                    position: ext.position))
        }
        let unversioned = versioned ? url.split(separator: "|", maxSplits: 1).first.map(String.init) ?? url : url
        guard let definition = context.profiles.profile(url: unversioned) else {
            // As the reference validator does: an extension that cannot be resolved is not
            // allowed. Two exceptions are warnings: the domains reserved for examples
            // (example.org, example.com: placeholders by definition), and HL7's own extension
            // namespace, whose definitions beyond R4 core come in the HL7 extensions package
            // (install it to check them).
            let lenient = Self.isExampleURL(url) || url.hasPrefix(DefinitionStore.coreStructureDefinitionBase)
            issues.append(
                Issue(
                    lenient ? .warning : .error, .extensionUnknown,
                    lenient
                        ? "the extension \(url) is not among the installed definitions, so it was not checked"
                        : "the extension \(url) could not be found, so it is not allowed here", path: path.text,
                    position: ext.position))
            validate(ext, scope: scope, profile: profile, index: index, path: path)
            return
        }
        if reportedProfiles.insert(definition.url).inserted {
            issues.append(contentsOf: definition.issues.map(Self.asDefinitionWarning))
        }
        checkOwnRules(ext, def: def, profile: profile, index: index, scope: scope, path: path, skipConstraintsOf: nil)
        checkContext(
            of: definition, parent: parent, scope: scope, definitionPath: def.path, path: path,
            position: ext.position)
        let isModifier = definition.elements.first?.isModifier ?? false
        if ext.name == "modifierExtension" && !isModifier {
            issues.append(
                Issue(
                    .error, .extensionModifier,
                    "the extension \(url) is not a modifier extension, so it cannot be used as modifierExtension",
                    path: path.text, position: ext.position))
        } else if ext.name == "extension" && isModifier {
            issues.append(
                Issue(
                    .error, .extensionModifier,
                    "the extension \(url) is a modifier extension, so it must be used as modifierExtension",
                    path: path.text, position: ext.position))
        }
        validate(ext, scope: scope, profile: definition, index: 0, path: path, skipConstraintsOf: def)
    }

    /// Whether the extension may be used where it is: its `context` names the element it is on
    /// by path from the resource or from any enclosing data type (`Patient.name.family`,
    /// `HumanName.family`), by that element's type or a type it derives from, `Element`, the
    /// definition path of its parent (`Questionnaire.item` for nested items), or (for
    /// `extension` contexts) the url of the enclosing extension. FHIRPath contexts are not decided
    /// here (allowed).
    mutating func checkContext(
        of definition: ResolvedProfile, parent: ElementNode, scope: FHIRPathScope?, definitionPath: String,
        path: ElementPath, position: SourcePosition
    ) {
        checkContextInvariants(of: definition, parent: parent, scope: scope, path: path, position: position)
        let contexts = definition.definition.contexts
        guard !contexts.isEmpty else { return }
        let parentType = parent.typeName ?? ""
        var parentDefinitionPath = definitionPath
        if let dot = parentDefinitionPath.lastIndex(of: ".") {
            parentDefinitionPath = String(parentDefinitionPath[..<dot])
        }
        // The element paths of the node, built only when a context needs them.
        var candidates: [String]?
        for c in contexts {
            switch c.type {
            case "fhirpath":
                if fhirPathContext(c.expression, selects: parent, scope: scope) { return }
            case "extension":
                // The nearest enclosing extension (the parent, or the extension whose value
                // carries this one).
                if let url = nearestExtensionURL(), url == c.expression { return }
            default:
                let e = c.expression
                if e == "Element" || e == "Base" || e == parentType || e == parentDefinitionPath { return }
                if candidates == nil { candidates = contextPaths() }
                let candidates = candidates ?? []
                if candidates.contains(e) { return }
                // Used on the element that holds its context element (R4's own definitions put
                // `structuredefinition-fhir-type`, declared for `ElementDefinition.type.code`, on
                // `ElementDefinition.type`): accepted, as the reference validator does.
                if candidates.contains(where: { e.hasPrefix($0 + ".") && !e.dropFirst($0.count + 1).contains(".") }) {
                    return
                }
                if !e.contains("."), !parentType.isEmpty, context.model.isType(parentType, a: e) { return }
            }
        }
        issues.append(
            Issue(
                .error, .extensionContext,
                "the extension \(definition.url) is not allowed here (its contexts: \(contexts.map(\.expression).joined(separator: ", ")))",
                path: path.text, position: position))
    }

    /// Whether evaluating a `fhirpath` context on the enclosing resource selects `parent`
    /// (matched by name and source position). An expression that cannot be evaluated allows it.
    func fhirPathContext(_ expression: String, selects parent: ElementNode, scope: FHIRPathScope?) -> Bool {
        guard let scope, case .success(let compiled) = context.invariants.compiled(expression) else { return true }
        let root = FHIRPathNode(element: scope.resource, scope: scope)
        guard let result = try? compiled.evaluate(on: root, environment: environment) else { return true }
        if parent.isResource && !result.isEmpty && parent.position == scope.resource.position { return true }
        return result.contains { value in
            guard case .node(let n) = value else { return false }
            return n.element.name == parent.name && n.element.position == parent.position
                && n.element.position.isKnown
        }
    }

    /// `contextInvariant`s: FHIRPath expressions evaluated on the element the extension is on;
    /// each must be true.
    mutating func checkContextInvariants(
        of definition: ResolvedProfile, parent: ElementNode, scope: FHIRPathScope?, path: ElementPath,
        position: SourcePosition
    ) {
        for expression in definition.definition.contextInvariants {
            guard case .success(let compiled) = context.invariants.compiled(expression) else { continue }
            let focus = FHIRPathNode(element: parent, scope: scope)
            guard let result = try? compiled.evaluate(on: focus, environment: environment) else { continue }
            if Self.passes(result) { continue }
            issues.append(
                Issue(
                    .error, .extensionContext,
                    "the extension \(definition.url) is not allowed here (its context invariant \(expression) is not met)",
                    path: path.text, position: position))
        }
    }

    /// The element paths of the node being walked, from its resource and from every enclosing
    /// data type: `Patient.name.family`, `HumanName.family`, `string`.
    func contextPaths() -> [String] {
        var out: [String] = []
        var suffix = ""
        for k in stride(from: ancestorCount - 1, through: 0, by: -1) {
            let a = ancestors[k].pointee
            if let t = a.typeName, t != "BackboneElement", t != "Element" {
                out.append(suffix.isEmpty ? t : t + "." + suffix)
            }
            if a.isResource { break }
            suffix = suffix.isEmpty ? a.name : a.name + "." + suffix
        }
        return out
    }

    /// The url of the nearest enclosing extension being walked (the parent, or the extension
    /// whose value carries this one), if it has one.
    func nearestExtensionURL() -> String? {
        for k in stride(from: ancestorCount - 1, through: 0, by: -1) where ancestors[k].pointee.typeName == "Extension"
        {
            return ancestors[k].pointee.children.withUnsafeBufferPointer { Self.firstValue($0, named: "url") }
        }
        return nil
    }

    static func isExampleURL(_ url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return false }
        let host = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != ":" && $0 != "#" }
        return ["example.org", "example.com", "example.net"].contains { host == $0 || host.hasSuffix("." + $0) }
    }

    static func isAbsolute(_ url: String) -> Bool {
        url.hasPrefix("http:") || url.hasPrefix("https:") || url.hasPrefix("urn:")
    }
}
