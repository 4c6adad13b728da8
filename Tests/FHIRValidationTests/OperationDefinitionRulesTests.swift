import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

@testable import FHIRValidation

private typealias Issue = FHIRModel.Issue

/// An OperationDefinition's inputProfile/outputProfile against its parameter list.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct OperationDefinitionRulesTests {
    /// A Parameters profile with one slice per (name, min, max, kind, types JSON) parameter.
    static func parametersProfile(url: String, _ slices: [(String, Int, String, String, String)]) -> String {
        var elements = [
            #"{"id":"Parameters.parameter","path":"Parameters.parameter","slicing":{"discriminator":[{"type":"value","path":"name"}],"rules":"open"}}"#
        ]
        for (name, min, max, kind, types) in slices {
            let id = "Parameters.parameter:\(name)"
            elements.append(
                #"{"id":"\#(id)","path":"Parameters.parameter","sliceName":"\#(name)","min":\#(min),"max":"\#(max)"}"#)
            elements.append(#"{"id":"\#(id).name","path":"Parameters.parameter.name","fixedString":"\#(name)"}"#)
            let other = kind == "resource" ? "value[x]" : "resource"
            elements.append(
                #"{"id":"\#(id).\#(other)","path":"Parameters.parameter.\#(other)","max":"0"}"#)
            let own = kind == "resource" ? "resource" : "value[x]"
            elements.append(#"{"id":"\#(id).\#(own)","path":"Parameters.parameter.\#(own)","type":\#(types)}"#)
        }
        return """
            {"resourceType":"StructureDefinition","url":"\(url)","name":"P","status":"draft","kind":"resource",
             "abstract":false,"type":"Parameters","baseDefinition":"http://hl7.org/fhir/StructureDefinition/Parameters",
             "derivation":"constraint","differential":{"element":[\(elements.joined(separator: ","))]}}
            """
    }

    static func operation(parameters: String, input: String? = "http://example.org/in") -> String {
        let profile = input.map { #""inputProfile":"\#($0)","# } ?? ""
        return """
            {"resourceType":"OperationDefinition","name":"Op","status":"draft","kind":"operation","code":"op",
             "system":true,"type":false,"instance":false,\(profile)"parameter":\(parameters)}
            """
    }

    private func check(_ json: String, supporting: [String] = []) throws -> [Issue] {
        let model = try TestSupport.coreModel()
        let context = ValidationContext(model: model, store: TestSupport.coreStore)
        for text in supporting { context.profiles.register(StructureDefinitionInfo(json: try JSONValue.parse(text))) }
        let parsed = try FHIRJSONReader(model: model).read(json)
        #expect(parsed.issues.isEmpty, "reader issues: \(parsed.issues)")
        var issues: [Issue] = []
        OperationDefinitionRules(context: context).check(parsed.root, path: "OperationDefinition", into: &issues)
        return issues
    }

    @Test func matchingProfileHasNoFindings() throws {
        let profile = Self.parametersProfile(
            url: "http://example.org/in",
            [
                ("subject", 1, "1", "value", #"[{"code":"Reference","targetProfile":["http://example.org/p"]}]"#),
                ("count", 0, "1", "value", #"[{"code":"integer"}]"#),
                ("patient", 0, "*", "resource", #"[{"code":"Patient"}]"#),
            ])
        let found = try check(
            Self.operation(
                parameters: """
                    [{"name":"subject","use":"in","min":1,"max":"1","type":"Reference","targetProfile":["http://example.org/p"]},
                     {"name":"count","use":"in","min":0,"max":"1","type":"integer"},
                     {"name":"patient","use":"in","min":0,"max":"*","type":"Patient"},
                     {"name":"result","use":"out","min":1,"max":"1","type":"Bundle"}]
                    """), supporting: [profile])
        #expect(found.isEmpty, "\(found)")
    }

    @Test func cardinalityTypesAndTargetProfilesMustAgree() throws {
        let profile = Self.parametersProfile(
            url: "http://example.org/in",
            [
                ("subject", 1, "1", "value", #"[{"code":"Reference","targetProfile":["http://example.org/q"]}]"#),
                ("count", 1, "1", "value", #"[{"code":"string"}]"#),
                ("extra", 0, "1", "value", #"[{"code":"string"}]"#),
            ])
        let found = try check(
            Self.operation(
                parameters: """
                    [{"name":"subject","use":"in","min":0,"max":"1","type":"Reference","targetProfile":["http://example.org/p"]},
                     {"name":"count","use":"in","min":1,"max":"*","type":"integer"},
                     {"name":"missing","use":"in","min":0,"max":"1","type":"string"}]
                    """), supporting: [profile])
        let errors = found.filter { $0.severity == .error }
        let warnings = found.filter { $0.severity == .warning }
        #expect(found.allSatisfy { $0.code == .operationProfile })
        // subject: min, target q not in the operation, target p not in the profile;
        // count: max, string not in the operation, integer not in the profile.
        #expect(errors.count == 6, "\(errors)")
        #expect(errors.filter { $0.path == "OperationDefinition.inputProfile.parameter[0]" }.count == 3)
        #expect(errors.contains { $0.message.contains("min 1 in the profile but 0") })
        #expect(errors.contains { $0.message.contains("max 1 in the profile but *") })
        #expect(errors.contains { $0.message.contains("allows the type string") })
        #expect(errors.contains { $0.message.contains("does not allow the type integer") })
        // 'extra' is not an operation parameter; 'missing' has no slice.
        #expect(warnings.count == 2, "\(warnings)")
    }

    @Test func resourceParameterTargetProfileIsTheResourceProfile() throws {
        let profile = Self.parametersProfile(
            url: "http://example.org/in",
            [
                (
                    "response", 1, "1", "resource",
                    #"[{"code":"QuestionnaireResponse","profile":["http://example.org/qr"]}]"#
                )
            ]
        )
        let agreeing = try check(
            Self.operation(
                parameters: """
                    [{"name":"response","use":"in","min":1,"max":"1","type":"QuestionnaireResponse","targetProfile":["http://example.org/qr"]}]
                    """), supporting: [profile])
        #expect(agreeing.isEmpty, "\(agreeing)")
        let differing = try check(
            Self.operation(
                parameters: """
                    [{"name":"response","use":"in","min":1,"max":"1","type":"Questionnaire"}]
                    """), supporting: [profile])
        #expect(differing.filter { $0.severity == .error }.count == 2, "\(differing)")
    }

    @Test func unknownOrWrongProfileIsReported() throws {
        let unknown = try check(
            Self.operation(parameters: #"[{"name":"a","use":"in","min":0,"max":"1","type":"string"}]"#))
        #expect(unknown.map(\.severity) == [.warning])
        let notParameters = #"""
            {"resourceType":"StructureDefinition","url":"http://example.org/in","name":"P","status":"draft","kind":"resource",
             "abstract":false,"type":"Patient","baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",
             "derivation":"constraint","differential":{"element":[{"id":"Patient","path":"Patient"}]}}
            """#
        let wrong = try check(
            Self.operation(parameters: #"[{"name":"a","use":"in","min":0,"max":"1","type":"string"}]"#),
            supporting: [notParameters])
        #expect(wrong.map(\.severity) == [.error])
        let none = try check(
            Self.operation(parameters: #"[{"name":"a","use":"in","min":0,"max":"1","type":"string"}]"#, input: nil))
        #expect(none.isEmpty)
    }
}
