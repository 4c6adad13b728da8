import FHIRJSON
import FHIRModel

/// The rules of obligation profiles (R5 tooling extensions, usable in R4): a StructureDefinition
/// flagged with `obligation-profile` only adds obligations to its base. Each differential element
/// must be an element of the base (same id and path) and may state only obligations,
/// mustSupport, cardinality and additional bindings; a binding keeps the base's strength. A
/// profile that names another with `inherit-obligations` must name an obligation profile on
/// the same base.
struct ObligationProfileRules {
    let context: ValidationContext

    static let profileFlag = "http://hl7.org/fhir/StructureDefinition/obligation-profile"
    static let inherits = "http://hl7.org/fhir/StructureDefinition/inherit-obligations"
    static let obligations: Set<String> = [
        "http://hl7.org/fhir/StructureDefinition/obligation",
        "http://hl7.org/fhir/tools/StructureDefinition/obligation",
    ]
    static let additionalBindings: Set<String> = [
        "http://hl7.org/fhir/StructureDefinition/additional-binding",
        "http://hl7.org/fhir/tools/StructureDefinition/additional-binding",
    ]
    /// Additional-binding purposes that would constrain like a binding of their own.
    static let constrainingPurposes: Set<String> = ["maximum", "required", "extensible"]
    /// What a differential element of an obligation profile may state besides its obligations.
    static let allowedProperties: Set<String> = ["id", "path", "mustSupport", "min", "max"]

    func check(_ definition: ElementNode, path: String, into issues: inout [Issue]) {
        let baseURL = definition.childValue("baseDefinition")
        for (c, ext) in definition.children(named: "extension").enumerated() {
            let extPath = "\(path).extension[\(c)]"
            switch ext.childValue("url") {
            case Self.profileFlag where ext.child(named: "value")?.value == "true":
                checkProfile(definition, baseURL: baseURL, path: path, flag: (ext, extPath), into: &issues)
            case Self.inherits:
                checkInherited(ext, baseURL: baseURL, path: extPath, into: &issues)
            default:
                break
            }
        }
    }

    private func checkProfile(
        _ definition: ElementNode, baseURL: String?, path: String, flag: (node: ElementNode, path: String),
        into issues: inout [Issue]
    ) {
        guard definition.childValue("derivation") == "constraint" else {
            issues.append(
                Issue(
                    .error, .sdObligation, "An obligation profile must be a constraint (derivation = constraint)",
                    path: flag.path, position: flag.node.position))
            return
        }
        guard let baseURL, let base = context.profiles.profile(url: baseURL) else {
            issues.append(
                Issue(
                    .warning, .sdObligation,
                    "The base \(baseURL ?? "(none)") of this obligation profile is not known, so its elements were not checked",
                    path: flag.path, position: flag.node.position))
            return
        }
        guard let differential = definition.child(named: "differential") else { return }
        for (i, element) in differential.children(named: "element").enumerated() {
            checkElement(element, base: base, path: "\(path).differential.element[\(i)]", into: &issues)
        }
    }

    private func checkElement(_ element: ElementNode, base: ResolvedProfile, path: String, into issues: inout [Issue]) {
        let id = element.childValue("id") ?? element.childValue("path") ?? ""
        guard let index = base.element(id: id) else {
            issues.append(
                Issue(
                    .error, .sdObligation,
                    "The element '\(id)' is not in the base \(base.url); an obligation profile can only add obligations to the base's elements",
                    path: path, position: element.position))
            return
        }
        let baseElement = base.elements[index]
        var counts: [String: Int] = [:]
        for child in element.children {
            let n = counts[child.name, default: 0]
            counts[child.name] = n + 1
            let childPath = child.isListItem ? "\(path).\(child.name)[\(n)]" : "\(path).\(child.name)"
            switch child.name {
            case "extension":
                let url = child.childValue("url") ?? ""
                if !Self.obligations.contains(url) {
                    issues.append(illegal(id, "extension#\(url)", path: childPath, at: child))
                }
            case "path":
                if let value = child.value, value != baseElement.path {
                    issues.append(
                        Issue(
                            .error, .sdObligation,
                            "The element '\(id)' has the path '\(value)', but the base's element has '\(baseElement.path)'",
                            path: childPath, position: child.position))
                }
            case "binding":
                checkBinding(child, id: id, base: baseElement, path: childPath, into: &issues)
            case let name where Self.allowedProperties.contains(name):
                break
            default:
                issues.append(illegal(id, child.wireName, path: childPath, at: child))
            }
        }
    }

    /// A binding may only add additional bindings (that do not constrain) and repeat the strength.
    private func checkBinding(
        _ binding: ElementNode, id: String, base: ElementDefinitionInfo, path: String, into issues: inout [Issue]
    ) {
        guard let baseBinding = base.raw["binding"] else {
            issues.append(
                Issue(
                    .error, .sdObligation,
                    "The element '\(id)' has no binding in the base, so an obligation profile cannot bind it",
                    path: path, position: binding.position))
            return
        }
        var counts: [String: Int] = [:]
        for child in binding.children {
            let n = counts[child.name, default: 0]
            counts[child.name] = n + 1
            let childPath = child.isListItem ? "\(path).\(child.name)[\(n)]" : "\(path).\(child.name)"
            switch child.name {
            case "extension":
                let url = child.childValue("url") ?? ""
                guard Self.additionalBindings.contains(url) else {
                    issues.append(illegal(id, "extension#\(url)", path: childPath, at: child))
                    continue
                }
                let purpose = child.children(named: "extension").first { $0.childValue("url") == "purpose" }?
                    .child(named: "value")?.value
                if let purpose, Self.constrainingPurposes.contains(purpose) {
                    issues.append(
                        Issue(
                            .error, .sdObligation,
                            "The element '\(id)' has an additional binding with purpose '\(purpose)', which constrains and is not allowed in obligation profiles",
                            path: childPath, position: child.position))
                }
            case "strength":
                let baseStrength = baseBinding["strength"]?.stringValue
                if child.value != baseStrength {
                    issues.append(
                        Issue(
                            .error, .sdObligation,
                            "The element '\(id)' has a binding strength (\(child.value ?? "none")) different from the base's (\(baseStrength ?? "none")), which is not allowed in obligation profiles",
                            path: childPath, position: child.position))
                }
            default:
                issues.append(
                    Issue(
                        .error, .sdObligation,
                        "The element '\(id)' states the binding property '\(child.wireName)', which is not allowed in obligation profiles",
                        path: childPath, position: child.position))
            }
        }
    }

    private func illegal(_ id: String, _ property: String, path: String, at node: ElementNode) -> Issue {
        Issue(
            .error, .sdObligation,
            "The element '\(id)' states '\(property)', which is not allowed in obligation profiles", path: path,
            position: node.position)
    }

    /// `inherit-obligations`: the named profile must be known, be an obligation profile, and have
    /// the same base as this one.
    private func checkInherited(_ ext: ElementNode, baseURL: String?, path: String, into issues: inout [Issue]) {
        guard let target = ext.child(named: "value")?.value, !target.isEmpty else {
            issues.append(
                Issue(
                    .error, .sdObligation, "An inherit-obligations extension must name a profile", path: path,
                    position: ext.position))
            return
        }
        guard let profile = context.profiles.profile(url: target) else {
            issues.append(
                Issue(
                    .error, .sdObligation,
                    "The profile \(target) to inherit obligations from could not be found", path: path,
                    position: ext.position))
            return
        }
        let flagged = (profile.definition.raw["extension"]?.arrayValue ?? []).contains {
            $0["url"]?.stringValue == Self.profileFlag && $0["valueBoolean"]?.boolValue == true
        }
        guard flagged else {
            issues.append(
                Issue(
                    .error, .sdObligation, "The profile \(target) is not marked as an obligation profile",
                    path: path, position: ext.position))
            return
        }
        if profile.definition.baseDefinition != baseURL {
            issues.append(
                Issue(
                    .error, .sdObligation,
                    "The profile \(target) has the base \(profile.definition.baseDefinition ?? "(none)"), not this profile's base \(baseURL ?? "(none)")",
                    path: path, position: ext.position))
        }
    }
}

extension ElementNode {
    /// The name as JSON writes it: `fixedCode` for the choice `fixed` holding a code.
    fileprivate var wireName: String {
        guard flags.contains(.choice), let type = typeName, let first = type.first else { return name }
        return name + first.uppercased() + type.dropFirst()
    }
}
