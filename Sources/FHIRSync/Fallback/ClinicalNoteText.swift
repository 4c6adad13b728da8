import ClinicMapping
import FHIRModel

/// The readable text of a clinical note: a confidentiality banner (EHR write APIs drop
/// `meta.security`, domain document 6.3), the session, then each folded resource with its
/// elements as indented `label: value` lines. Data types are written as people read them: codes
/// with their display and code system, quantities with units, ratios as `35 mg per 1 h`, periods
/// as `start to end`, references by what they point to. Ids, identifiers, metadata and the
/// generated narrative are left out.
struct ClinicalNoteText {
    let context: FoldContext
    /// Nesting below which nothing more is written (the trees come from the translator, so this
    /// is a guard, not a limit anyone meets).
    static let maxDepth = 24

    static let systemNames: [String: String] = [
        "http://loinc.org": "LOINC", "http://snomed.info/sct": "SNOMED CT",
        "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM", "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
        "http://hl7.org/fhir/sid/ndc": "NDC", "http://unitsofmeasure.org": "UCUM",
        "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets": "HCPCS",
    ]
    static let skipped: Set<String> = [
        "id", "meta", "implicitRules", "language", "text", "identifier", "contained", "modifierExtension",
    ]
    static let quantityTypes: Set<String> = [
        "Quantity", "SimpleQuantity", "Duration", "Age", "Count", "Distance", "MoneyQuantity",
    ]

    func render(
        _ resources: [TranslatedResource], title: String, session: String?, period: (start: String?, end: String?),
        labels: [String]
    ) -> String {
        var lines: [String] = [title.uppercased()]
        if labels.contains("42CFRPart2") || labels.contains("SUD") {
            lines.append(
                "CONFIDENTIAL - psychiatric and substance use disorder information protected by 42 CFR Part 2: "
                    + "redisclosure is prohibited without the patient's written consent.")
        } else if labels.contains("R") || labels.contains("PSY") {
            lines.append("CONFIDENTIAL - psychiatric information.")
        }
        lines.append("This note carries clinical information the receiving system does not accept as discrete data.")
        if let session { lines.append("Session: " + session) }
        if let text = Self.period(period.start, period.end) { lines.append("Time: " + text) }
        lines.append("")
        for (n, r) in resources.enumerated() {
            var heading = "\(n + 1). " + Self.words(r.resourceType)
            if let summary = summary(r.resource) { heading += ": " + summary }
            lines.append(heading)
            for child in r.resource.children where !Self.skipped.contains(child.name) {
                if child.typeName == "Reference", Self.refersToPatient(child) { continue }
                element(child, in: r.resource, depth: 1, into: &lines)
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// One element as `label: value`, or `label:` with its children indented below.
    private func element(_ node: ElementNode, in resource: ElementNode, depth: Int, into lines: inout [String]) {
        guard depth < Self.maxDepth else { return }
        let indent = String(repeating: "  ", count: depth)
        var label = Self.words(node.name)
        if node.name == "extension" || node.name == "modifierExtension" {
            label = node.childValue("url").map { Self.words(String($0.split(separator: "/").last ?? "")) } ?? label
            if let value = node.child(named: "value") {
                if let text = format(value, in: resource) { lines.append(indent + label + ": " + text) }
                return
            }
        }
        if let text = format(node, in: resource) {
            lines.append(indent + label + ": " + text)
            return
        }
        guard !node.isPrimitive, !node.children.isEmpty else { return }
        lines.append(indent + label + ":")
        for child in node.children where child.name != "id" {
            if node.name == "extension" && child.name == "url" { continue }
            element(child, in: resource, depth: depth + 1, into: &lines)
        }
    }

    /// The one-line form of a node, or nil for a complex element to be written child by child.
    private func format(_ node: ElementNode, in resource: ElementNode) -> String? {
        if node.isPrimitive {
            switch node.typeName {
            case "xhtml": return nil
            case "base64Binary": return node.value.map { _ in "(binary data)" }
            default: return node.value
            }
        }
        switch node.typeName ?? "" {
        case "CodeableConcept": return Self.concept(node)
        case "Coding": return Self.coding(node)
        case let t where Self.quantityTypes.contains(t): return Self.quantity(node)
        case "Ratio":
            guard let n = node.child(named: "numerator").flatMap(Self.quantity) else { return nil }
            guard let d = node.child(named: "denominator").flatMap(Self.quantity) else { return n }
            return n + " per " + d
        case "Range":
            return Self.period(
                node.child(named: "low").flatMap(Self.quantity), node.child(named: "high").flatMap(Self.quantity))
        case "Period": return Self.period(node.childValue("start"), node.childValue("end"))
        case "Annotation":
            let time = node.childValue("time").map { " (" + $0 + ")" } ?? ""
            return node.childValue("text").map { $0 + time }
        case "HumanName": return Self.name(node)
        case "Reference": return reference(node, in: resource)
        case "Attachment": return node.childValue("title") ?? node.childValue("contentType")
        case "Identifier": return node.childValue("value")
        default: return nil
        }
    }

    /// What a reference points to: its display, else the type and a summary of the target
    /// (a contained resource, or one of the set).
    private func reference(_ node: ElementNode, in resource: ElementNode) -> String? {
        if let display = node.childValue("display") { return display }
        guard let value = node.childValue("reference") else { return nil }
        if value.hasPrefix("#") {
            let id = String(value.dropFirst())
            guard let contained = resource.children(named: "contained").first(where: { $0.childValue("id") == id })
            else { return nil }
            let type = Self.words(contained.typeName ?? "resource")
            return summary(contained).map { type + ": " + $0 } ?? type
        }
        guard let ref = ResourceReferences.normalize(value) else { return nil }
        let type = Self.words(String(ResourceReferences.type(of: ref)))
        guard let target = context.resource(ref), let summary = summary(target.resource) else { return type }
        return type + ": " + summary
    }

    /// A short description of a resource: its code, type, medication or name.
    private func summary(_ resource: ElementNode) -> String? {
        for name in ["code", "type", "medication", "event", "category"] {
            guard let element = resource.child(named: name) else { continue }
            if element.typeName == "Reference" {
                if let value = element.childValue("reference"), value.hasPrefix("#"),
                    let contained = resource.children(named: "contained").first(where: {
                        $0.childValue("id") == String(value.dropFirst())
                    }), let text = summary(contained)
                {
                    return text
                }
                if let display = element.childValue("display") { return display }
                continue
            }
            if let text = element.childValue("text") { return text }
            if let display = element.children(named: "coding").lazy.compactMap({ $0.childValue("display") }).first {
                return display
            }
        }
        if let name = resource.child(named: "name"), name.typeName == "HumanName" { return Self.name(name) }
        return resource.childValue("name") ?? resource.childValue("description")
    }

    static func refersToPatient(_ reference: ElementNode) -> Bool {
        reference.childValue("reference").flatMap(ResourceReferences.normalize).map {
            ResourceReferences.type(of: $0) == "Patient"
        } ?? false
    }

    static func concept(_ node: ElementNode) -> String? {
        let codings = node.children(named: "coding").compactMap(coding)
        let text = node.childValue("text")
        if codings.isEmpty { return text }
        return (text.map { $0 + ": " } ?? "") + codings.joined(separator: "; ")
    }

    static func coding(_ node: ElementNode) -> String? {
        guard let code = node.childValue("code") else { return node.childValue("display") }
        let system = node.childValue("system").map { systemNames[$0] ?? String($0.split(separator: "/").last ?? "") }
        let tag = [system, code].compactMap { $0 }.joined(separator: " ")
        return node.childValue("display").map { $0 + " (" + tag + ")" } ?? tag
    }

    static func quantity(_ node: ElementNode) -> String? {
        guard let value = node.childValue("value") else { return nil }
        let comparator = node.childValue("comparator").map { $0 + " " } ?? ""
        let unit = node.childValue("unit") ?? node.childValue("code")
        return comparator + value + (unit.map { " " + $0 } ?? "")
    }

    static func period(_ start: String?, _ end: String?) -> String? {
        switch (start, end) {
        case (let s?, let e?): s == e ? s : s + " to " + e
        case (let s?, nil): "from " + s
        case (nil, let e?): "until " + e
        case (nil, nil): nil
        }
    }

    static func name(_ node: ElementNode) -> String? {
        if let text = node.childValue("text") { return text }
        let parts =
            node.children(named: "prefix").compactMap(\.value) + node.children(named: "given").compactMap(\.value)
            + [node.childValue("family")].compactMap { $0 } + node.children(named: "suffix").compactMap(\.value)
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// `MedicationAdministration` -> `Medication administration`; `effective` stays; `reasonCode`
    /// -> `reason code`.
    static func words(_ name: String) -> String {
        var out = ""
        for (i, c) in name.enumerated() {
            if c == "-" {
                out.append(" ")
            } else if c.isUppercase && i > 0 {
                out.append(" ")
                out += c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
