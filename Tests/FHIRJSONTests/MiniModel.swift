import FHIRJSON
import FHIRModel

/// A small hand-built model with the shapes the JSON reader must handle: primitives of each
/// JSON kind, choices, backbone elements, repeating elements, contained and entry resources.
enum MiniModel {
    static func e(
        _ name: String, _ types: [String], array: Bool = false, choice: Bool = false, backbone: String? = nil
    ) -> ElementSummary {
        ElementSummary(
            name: name, types: types, isArray: array, isChoice: choice, min: 0,
            isXMLAttribute: name == "id" || name == "url", backbonePath: backbone)
    }

    static func type(
        _ name: String, _ kind: TypeSummary.Kind, base: String? = nil, abstract: Bool = false,
        _ elements: [ElementSummary]
    ) -> TypeSummary {
        TypeSummary(name: name, kind: kind, baseType: base, isAbstract: abstract, url: "", elements: elements)
    }

    static let elementBase = [e("id", ["string"]), e("extension", ["Extension"], array: true)]
    static let resourceBase = [
        e("id", ["id"]), e("meta", ["Meta"]), e("implicitRules", ["uri"]), e("language", ["code"]),
    ]
    static let domainBase =
        resourceBase + [
            e("text", ["Narrative"]), e("contained", ["Resource"], array: true),
            e("extension", ["Extension"], array: true), e("modifierExtension", ["Extension"], array: true),
        ]
    static let backboneBase = elementBase + [e("modifierExtension", ["Extension"], array: true)]

    static let model: ModelInfo = {
        var types: [TypeSummary] = []
        for p in [
            "boolean", "integer", "decimal", "string", "uri", "code", "id", "date", "dateTime", "instant",
            "time", "positiveInt", "unsignedInt", "xhtml", "base64Binary",
        ] {
            types.append(
                type(p, .primitive, [e("id", ["string"]), e("extension", ["Extension"], array: true), e("value", [p])]))
        }
        types.append(type("Element", .complex, elementBase))
        types.append(type("BackboneElement", .complex, base: "Element", backboneBase))
        types.append(
            type(
                "Extension", .complex, base: "Element",
                elementBase + [
                    e("url", ["uri"]),
                    e(
                        "value",
                        ["string", "boolean", "integer", "decimal", "Quantity", "CodeableConcept", "dateTime"],
                        choice: true),
                ]))
        types.append(
            type(
                "Quantity", .complex,
                elementBase + [
                    e("value", ["decimal"]), e("unit", ["string"]), e("system", ["uri"]), e("code", ["code"]),
                ]))
        types.append(
            type(
                "Coding", .complex, elementBase + [e("system", ["uri"]), e("code", ["code"]), e("display", ["string"])])
        )
        types.append(
            type(
                "CodeableConcept", .complex,
                elementBase + [e("coding", ["Coding"], array: true), e("text", ["string"])]))
        types.append(
            type(
                "HumanName", .complex,
                elementBase + [e("use", ["code"]), e("family", ["string"]), e("given", ["string"], array: true)]))
        types.append(type("Narrative", .complex, elementBase + [e("status", ["code"]), e("div", ["xhtml"])]))
        types.append(
            type(
                "Meta", .complex,
                elementBase + [
                    e("versionId", ["id"]), e("lastUpdated", ["instant"]), e("profile", ["uri"], array: true),
                ]))
        types.append(type("Reference", .complex, elementBase + [e("reference", ["string"]), e("display", ["string"])]))
        types.append(type("Resource", .resource, abstract: true, resourceBase))
        types.append(type("DomainResource", .resource, base: "Resource", abstract: true, domainBase))
        types.append(
            type(
                "Patient", .resource, base: "DomainResource",
                domainBase + [
                    e("active", ["boolean"]), e("name", ["HumanName"], array: true), e("birthDate", ["date"]),
                    e("deceased", ["boolean", "dateTime"], choice: true),
                    e("multipleBirth", ["boolean", "integer"], choice: true),
                    e("contact", ["BackboneElement"], array: true, backbone: "Patient.contact"),
                ]))
        types.append(
            type("Patient.contact", .backbone, backboneBase + [e("name", ["HumanName"]), e("gender", ["code"])]))
        types.append(
            type(
                "Observation", .resource, base: "DomainResource",
                domainBase + [
                    e("status", ["code"]), e("code", ["CodeableConcept"]), e("subject", ["Reference"]),
                    e("effective", ["dateTime", "instant"], choice: true),
                    e(
                        "value", ["Quantity", "CodeableConcept", "string", "boolean", "integer", "time", "dateTime"],
                        choice: true),
                    e("component", ["BackboneElement"], array: true, backbone: "Observation.component"),
                ]))
        types.append(
            type(
                "Observation.component", .backbone,
                backboneBase + [
                    e("code", ["CodeableConcept"]), e("value", ["Quantity", "string", "integer"], choice: true),
                ]))
        types.append(
            type(
                "Bundle", .resource, base: "Resource",
                resourceBase + [
                    e("type", ["code"]), e("total", ["unsignedInt"]),
                    e("entry", ["BackboneElement"], array: true, backbone: "Bundle.entry"),
                ]))
        types.append(
            type(
                "Bundle.entry", .backbone,
                backboneBase + [
                    e("fullUrl", ["uri"]), e("resource", ["Resource"]),
                    e("response", ["BackboneElement"], backbone: "Bundle.entry.response"),
                ]))
        types.append(
            type(
                "Bundle.entry.response", .backbone,
                backboneBase + [e("status", ["string"]), e("outcome", ["Resource"])]))
        types.append(
            type(
                "Parameters", .resource, base: "Resource",
                resourceBase + [e("parameter", ["BackboneElement"], array: true, backbone: "Parameters.parameter")]))
        types.append(
            type(
                "Parameters.parameter", .backbone,
                backboneBase + [
                    e("name", ["string"]),
                    e("value", ["string", "integer", "decimal", "boolean", "Quantity"], choice: true),
                    e("resource", ["Resource"]), e("part", [], array: true, backbone: "Parameters.parameter"),
                ]))
        types.append(
            type(
                "OperationOutcome", .resource, base: "DomainResource",
                domainBase + [e("issue", ["BackboneElement"], array: true, backbone: "OperationOutcome.issue")]))
        types.append(
            type(
                "OperationOutcome.issue", .backbone,
                backboneBase + [e("severity", ["code"]), e("code", ["code"]), e("diagnostics", ["string"])]))
        return ModelInfo(types: types, fhirVersion: "4.0.1")
    }()

    static var reader: FHIRJSONReader { FHIRJSONReader(model: model) }
    static var writer: FHIRJSONWriter { FHIRJSONWriter(model: model) }

    /// Reads `json` with the mini model.
    static func read(_ json: String) throws -> ParsedResource {
        try reader.read(json)
    }

    /// Reads, writes compact, and returns the output text.
    static func roundTrip(_ json: String) throws -> String {
        writer.writeString(try read(json).root)
    }

    /// Whether `a` and `b` are the same JSON value (key order ignored, numbers by lexeme).
    static func sameJSON(_ a: String, _ b: String) throws -> Bool {
        try JSONValue.parse(a) == JSONValue.parse(b)
    }
}

extension ParsedResource {
    /// The issue codes, in order.
    var codes: [String] { issues.map(\.code.rawValue) }
}
