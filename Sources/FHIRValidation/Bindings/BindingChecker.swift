import FHIRDefinitions
import FHIRJSON
import FHIRModel

/// Checks coded elements against their bindings and against locally held code systems.
///
/// Binding strength decides the severity when the code is not in the value set: `required` ->
/// error, `extensible` -> warning, `preferred` -> information, `example` -> nothing. When the
/// answer cannot be decided offline (a code system or filter not held locally) the result is an
/// information "not checked offline", never a silent pass or failure; a value set that is not
/// available at all is a warning. Messages name value sets and code systems of the definitions,
/// never the codes, systems or displays of the instance.
struct BindingChecker {
    let context: ValidationContext
    /// Severity of a display that matches neither the concept's display nor its designations.
    var displaySeverity: Issue.Severity = .warning

    init(context: ValidationContext, displaySeverity: Issue.Severity = .warning) {
        self.context = context
        self.displaySeverity = displaySeverity
    }

    var terminology: LocalTerminology { context.terminology }

    /// Checks the codes of `node` (code, string, uri, Coding, CodeableConcept, Quantity) against
    /// `binding`. `definition` is the profile that holds the binding, for value sets it
    /// contains (`#id`). `path` is asked for only when an issue is reported. `isAvailable`, when
    /// given, says whether the (canonical) value set is held, as `LocalTerminology.hasValueSet`
    /// would.
    func check(
        _ node: ElementNode, binding: ElementDefinitionInfo.Binding, path: @autoclosure () -> String,
        into issues: inout [Issue], definition: StructureDefinitionInfo? = nil, isAvailable: Bool? = nil
    ) {
        guard binding.strength != .example, let reference = binding.valueSet, CodedValues.applies(to: node)
        else { return }
        let valueSet = BoundValueSet(
            reference, definition: definition, terminology: terminology, answers: context.terminologyAnswers)
        // A canonical value set's availability may come from the caller (who remembers it).
        let available = valueSet.contained == nil ? isAvailable ?? valueSet.isAvailable : valueSet.isAvailable
        guard available else {
            issues.append(
                Issue(
                    .warning, .bindingValueSetUnknown,
                    "value set \(reference) of the \(binding.strength.rawValue) binding is not available locally; the code is not checked",
                    path: path(), position: node.position))
            return
        }
        // Most codes are in their value set: that is decided without collecting them.
        if CodedValues.anyCode(of: node, where: { valueSet.membership(system: $0, code: $1) == .member }) { return }
        guard let values = CodedValues(node) else { return }
        guard !values.items.isEmpty else {
            checkUncoded(node, values: values, binding: binding, path: path(), into: &issues)
            return
        }
        let results = values.items.map { valueSet.membership(system: $0.system, code: $0.code) }
        if results.contains(.member) { return }
        let unknown = results.lazy.compactMap { r -> LocalTerminology.UnknownReason? in
            if case .unknown(let reason) = r { return reason } else { return nil }
        }.first
        if let unknown {
            issues.append(
                Issue(
                    .information, .bindingNotChecked,
                    "\(subject(values)) could not be checked offline against value set \(reference) (\(binding.strength.rawValue) binding): \(unknown)",
                    path: path(), position: node.position))
        } else {
            issues.append(
                Issue(
                    severity(binding.strength), code(binding.strength),
                    "\(subject(values)) \(values.items.count > 1 ? "are" : "is") not in value set \(reference), and \(obligation(binding.strength))",
                    path: path(), position: node.position))
            if binding.strength == .required, values.kind == .primitive {
                checkDefined(values.items[0].code, valueSet: reference, node: node, path: path(), into: &issues)
            }
        }
        if binding.strength != .required, let max = binding.maxValueSet {
            checkMaxValueSet(node, values: values, maxValueSet: max, path: path(), into: &issues)
        }
    }

    /// A CodeableConcept without codings (text only): a code is required (error) or expected
    /// (warning) by required and extensible bindings.
    private func checkUncoded(
        _ node: ElementNode, values: CodedValues, binding: ElementDefinitionInfo.Binding, path: String,
        into issues: inout [Issue]
    ) {
        guard values.kind == .codeableConcept, values.hasText, let reference = binding.valueSet else { return }
        switch binding.strength {
        case .required:
            issues.append(
                Issue(
                    .error, .bindingRequired,
                    "no coding is given, and a code is required from value set \(reference)", path: path,
                    position: node.position))
        case .extensible:
            issues.append(
                Issue(
                    .warning, .bindingExtensible,
                    "no coding is given, and a code should come from value set \(reference) when one is suitable",
                    path: path, position: node.position))
        case .preferred, .example:
            break
        }
    }

    /// A bare code outside a required value set that no code system of the value set defines
    /// (the reference validator reports this besides the binding).
    private func checkDefined(
        _ code: String, valueSet: String, node: ElementNode, path: String, into issues: inout [Issue]
    ) {
        let systems = terminology.codeSystems(ofValueSet: valueSet)
        guard !systems.isEmpty,
            systems.allSatisfy({ terminology.validateCode(system: $0, code: code) == .notMember })
        else { return }
        issues.append(
            Issue(
                .error, .codeUnknown,
                "the code is not defined in any code system of value set \(valueSet) (\(systems.sorted().joined(separator: ", ")))",
                path: path, position: node.position))
    }

    private func checkMaxValueSet(
        _ node: ElementNode, values: CodedValues, maxValueSet: String, path: String, into issues: inout [Issue]
    ) {
        guard terminology.hasValueSet(maxValueSet) else { return }
        let results = values.items.map {
            terminology.membership(system: $0.system, code: $0.code, valueSet: maxValueSet)
        }
        guard !results.isEmpty, results.allSatisfy({ $0 == .notMember }) else { return }
        issues.append(
            Issue(
                .error, .bindingMaxValueSet,
                "\(subject(values)) \(values.items.count > 1 ? "are" : "is") not in the maximum value set \(maxValueSet)",
                path: path, position: node.position))
    }

    private func subject(_ values: CodedValues) -> String {
        switch values.kind {
        case .primitive, .quantity: "the code"
        case .coding: "the coding"
        case .codeableConcept: values.items.count > 1 ? "the codings" : "the coding"
        }
    }

    private func obligation(_ strength: ElementDefinitionInfo.Binding.Strength) -> String {
        switch strength {
        case .required: "a code is required from this value set (required binding)"
        case .extensible: "a code should come from this value set unless none is suitable (extensible binding)"
        case .preferred, .example: "a code is recommended to come from this value set (preferred binding)"
        }
    }

    private func severity(_ strength: ElementDefinitionInfo.Binding.Strength) -> Issue.Severity {
        switch strength {
        case .required: .error
        case .extensible: .warning
        case .preferred, .example: .information
        }
    }

    private func code(_ strength: ElementDefinitionInfo.Binding.Strength) -> IssueCode {
        switch strength {
        case .required: .bindingRequired
        case .extensible: .bindingExtensible
        case .preferred, .example: .bindingPreferred
        }
    }
}

/// The value set of a binding: a canonical reference, or a value set the profile contains (`#id`).
struct BoundValueSet {
    let reference: String
    let contained: JSONValue?
    /// Cache key of a contained value set: the profile URL + `#id`.
    let cacheKey: String?
    let terminology: LocalTerminology
    /// Answers remembered for canonical value sets (bindings ask the same few again and again).
    let answers: TerminologyAnswers?

    init(
        _ reference: String, definition: StructureDefinitionInfo?, terminology: LocalTerminology,
        answers: TerminologyAnswers? = nil
    ) {
        self.reference = reference
        self.terminology = terminology
        self.answers = answers
        // (The first byte first: nearly every reference is canonical, and `hasPrefix` costs a call.)
        if reference.utf8.first == UInt8(ascii: "#"), reference.hasPrefix("#"), let definition {
            let id = String(reference.dropFirst())
            contained = (definition.raw["contained"]?.arrayValue ?? []).first {
                $0["resourceType"]?.stringValue == "ValueSet" && $0["id"]?.stringValue == id
            }
            cacheKey = definition.url + (definition.version.map { "|" + $0 } ?? "") + reference
        } else {
            contained = nil
            cacheKey = nil
        }
    }

    var isAvailable: Bool {
        if contained != nil { return true }
        if let answers { return answers.hasValueSet(reference, terminology) }
        return terminology.hasValueSet(reference)
    }

    func membership(system: String?, code: String) -> LocalTerminology.Membership {
        if let contained {
            return terminology.membership(system: system, code: code, valueSetResource: contained, cacheKey: cacheKey)
        }
        if let answers { return answers.membership(system: system, code: code, valueSet: reference, terminology) }
        return terminology.membership(system: system, code: code, valueSet: reference)
    }

    /// Displays the value set itself gives for a code.
    func displays(system: String, code: String) -> [String] {
        if let contained {
            return terminology.valueSetDisplays(
                system: system, code: code, valueSetResource: contained, cacheKey: cacheKey)
        }
        return terminology.valueSetDisplays(system: system, code: code, valueSet: reference)
    }
}
