import FHIRDefinitions
import FHIRModel

extension BindingChecker {
    /// Checks one Coding against its code system, whatever the binding:
    /// - a code but no system: warning (it has no defined meaning);
    /// - a code a held `complete` CodeSystem does not define, or a malformed code of a
    ///   grammar-based system (MIME type, language tag, UCUM, ISO 3166, ISO 4217): error `.codeUnknown`;
    /// - a code missing from a CodeSystem held as a `fragment`: warning (it may exist elsewhere);
    /// - a system not held: information "not checked offline";
    /// - a display that matches neither the concept's display nor any designation (nor a display
    ///   the bound value set gives, when `binding` is passed): `displaySeverity` (warning).
    ///
    /// Other node types (a `code` primitive, whose system comes from its binding) are left to
    /// ``check(_:binding:path:into:definition:)``.
    func checkCoding(
        _ node: ElementNode, path: @autoclosure () -> String, into issues: inout [Issue],
        binding: ElementDefinitionInfo.Binding? = nil, definition: StructureDefinitionInfo? = nil
    ) {
        guard node.typeName == "Coding", let item = CodedValues.item(node) else { return }
        guard let system = item.system, !system.isEmpty else {
            issues.append(
                Issue(
                    .warning, .codeNoSystem,
                    "the coding has a code but no system: it has no defined meaning and cannot be checked",
                    path: path(), position: node.position))
            return
        }
        var codePath: String { path() + ".code" }
        let codePosition = node.child(named: "code")?.position ?? node.position
        switch terminology.validateCode(system: system, code: item.code) {
        case .member:
            guard let display = item.display, let concept = terminology.lookup(system: system, code: item.code),
                !concept.hasDisplay(display)
            else { return }
            if let valueSet = binding?.valueSet {
                let bound = BoundValueSet(valueSet, definition: definition, terminology: terminology)
                let wanted = LocalTerminology.Concept.normalizedDisplay(display)
                let extra = bound.displays(system: system, code: item.code)
                if extra.contains(where: { LocalTerminology.Concept.normalizedDisplay($0) == wanted }) { return }
            }
            // A concept without display or designations gives nothing to compare with.
            guard concept.display != nil || !concept.designations.isEmpty else { return }
            issues.append(
                Issue(
                    displaySeverity, .codeDisplay,
                    "the display does not match the display or any designation of the code in code system \(system)",
                    path: path() + ".display", position: node.child(named: "display")?.position ?? node.position))
        case .notMember:
            if terminology.codeSystemStatus(system) == .complete {
                issues.append(
                    Issue(
                        .error, .codeUnknown, "the code is not defined in code system \(system)", path: codePath,
                        position: codePosition))
            } else if let kind = LocalTerminologySyntax.kind(ofSystem: system) {
                issues.append(
                    Issue(
                        .error, .codeUnknown, "the code is not a well-formed code of \(Self.describe(kind))",
                        path: codePath, position: codePosition))
            }
        case .unknown(.codeSystemFragment):
            issues.append(
                Issue(
                    .warning, .codeUnknown,
                    "the code is not in code system \(system), which is held only as a fragment: it may be valid",
                    path: codePath, position: codePosition))
        case .unknown:
            issues.append(
                Issue(
                    .information, .codeNotChecked,
                    "the code system of the coding is not available offline: the code is not checked", path: path(),
                    position: node.position))
        }
    }

    static func describe(_ kind: LocalTerminologySyntax.Kind) -> String {
        switch kind {
        case .mimeType: "MIME types (urn:ietf:bcp:13)"
        case .language: "language tags (urn:ietf:bcp:47)"
        case .ucum: "UCUM (http://unitsofmeasure.org)"
        case .country: "ISO 3166 country codes (urn:iso:std:iso:3166)"
        case .currency: "ISO 4217 currency codes (urn:iso:std:iso:4217)"
        }
    }
}
