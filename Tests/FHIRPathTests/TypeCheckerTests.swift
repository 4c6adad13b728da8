import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

/// The static (semantic) checker: what it reports, where, and that it never rejects a valid
/// expression (every invariant of the R4 core definitions, every valid test of the official suite).
@Suite struct TypeCheckerTests {
    /// The semantic error of `text` on `contextTypes`, or nil when the checker accepts it.
    func problem(_ text: String, on contextTypes: [String], ordered: Bool = false) throws -> FHIRPathError? {
        let engine = FHIRPathEngine(model: try TestSupport.coreModel())
        let expression = try FHIRPathParser.parse(text)
        do throws(FHIRPathError) {
            try engine.check(
                expression, contextTypes: contextTypes, options: FHIRPathCheckOptions(checkOrderedFunctions: ordered))
            return nil
        } catch {
            return error
        }
    }

    func problem(_ text: String, on contextType: String, ordered: Bool = false) throws -> FHIRPathError? {
        try problem(text, on: [contextType], ordered: ordered)
    }

    /// Expects a semantic error at the given 1-based column.
    func expectRejected(
        _ text: String, on contextType: String, column: Int, ordered: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        guard let error = try problem(text, on: contextType, ordered: ordered) else {
            Issue.record("'\(text)' on \(contextType) was accepted", sourceLocation: sourceLocation)
            return
        }
        #expect(error.kind == .semantic, sourceLocation: sourceLocation)
        #expect(error.location.column == column, "\(error)", sourceLocation: sourceLocation)
    }

    func expectAccepted(
        _ text: String, on contextType: String, ordered: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        if let error = try problem(text, on: contextType, ordered: ordered) {
            Issue.record("'\(text)' on \(contextType): \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func unknownMembers() throws {
        try expectRejected("name.given1", on: "Patient", column: 6)
        try expectRejected("Patient.name.given1.exists()", on: "Patient", column: 14)
        try expectAccepted("name.given", on: "Patient")
        try expectAccepted("Patient.name.given", on: "Patient")
        try expectAccepted("Patient.contact.name.family", on: "Patient")
        try expectRejected("Patient.contact.gender.system", on: "Patient", column: 24)
        // The message names the member and the types, nothing from any data.
        let error = try problem("name.given1", on: "Patient")
        #expect(error?.message.contains("given1") == true)
        #expect(error?.message.contains("HumanName") == true)
    }

    @Test func backboneAndDataTypeContexts() throws {
        try expectAccepted("name.exists() or telecom.exists() or organization.exists()", on: "Patient.contact")
        try expectRejected("birthDate.exists()", on: "Patient.contact", column: 1)
        try expectAccepted("low.empty() or high.empty() or (low <= high)", on: "Range")
        try expectRejected("low.unit.foo", on: "Range", column: 10)
        // Content references: Questionnaire.item.item has the children of Questionnaire.item.
        try expectAccepted("item.item.item.linkId", on: "Questionnaire")
        try expectRejected("item.item.valueString", on: "Questionnaire", column: 11)
        // Unknown context types (logical models) are not checked.
        try expectAccepted("status.foo.bar", on: "Event")
    }

    @Test func choiceElements() throws {
        try expectAccepted("Observation.value.unit", on: "Observation")
        try expectRejected("Observation.valueQuantity.unit", on: "Observation", column: 13)
        try expectAccepted("(Observation.value as Quantity).unit", on: "Observation")
        try expectRejected("(Observation.value as Period).unit", on: "Observation", column: 31)
        try expectAccepted("Observation.value.ofType(Period).start", on: "Observation")
        try expectRejected("Observation.value.ofType(Period).unit", on: "Observation", column: 34)
        try expectAccepted("Observation.value.as(FHIR.Quantity).code", on: "Observation")
        // A context that is a choice has all of its types.
        try expectAccepted("low.empty() or (low.code = '%')", on: ["decimal", "Range"])
        #expect(try problem("low.empty()", on: ["decimal"]) != nil)
    }

    func expectAccepted(_ text: String, on contextTypes: [String], sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        if let error = try problem(text, on: contextTypes) {
            Issue.record("'\(text)' on \(contextTypes): \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func typeNamesAtPathStart() throws {
        try expectRejected("Encounter.name.given", on: "Patient", column: 1)
        try expectAccepted("DomainResource.text.div", on: "Patient")
        try expectAccepted("Resource.id", on: "Patient")
        try expectRejected("Patient.name", on: "Patient.contact", column: 1)
        try expectRejected("name.where(Observation.exists())", on: "Patient", column: 12)
        // Inside an abstract resource, any resource type may be named.
        try expectAccepted("contained.select(Patient.name.given)", on: "Patient")
    }

    @Test func resourcesAndPrimitives() throws {
        try expectAccepted("contained.birthDate", on: "Patient")
        try expectAccepted("contained.ofType(Patient).name.given", on: "Patient")
        try expectRejected("contained.ofType(Patient).valueQuantity", on: "Patient", column: 27)
        try expectAccepted("entry.resource.as(Observation).value.unit", on: "Bundle")
        try expectAccepted("entry.resource.meta.versionId", on: "Bundle")
        try expectAccepted("Bundle.entry.first().resource.is(Composition)", on: "Bundle")
        try expectAccepted("managingOrganization.resolve().name", on: "Patient")
        try expectAccepted("birthDate.extension.url", on: "Patient")
        try expectAccepted("birthDate.id.exists() and name.given.extension('u').value.exists()", on: "Patient")
        try expectRejected("birthDate.family", on: "Patient", column: 11)
        try expectAccepted("text.`div`.htmlChecks()", on: "Patient")
        try expectAccepted("children().foo.descendants().bar", on: "Patient")
    }

    @Test func variables() throws {
        try expectAccepted("%resource.name.given", on: "Patient.contact")
        try expectRejected("%resource.status", on: "Patient.contact", column: 11)
        try expectAccepted("%context.grouping.id", on: "ImplementationGuide.definition")
        try expectAccepted("%rootResource.contained.id and %resource.foo", on: "Reference")
        try expectAccepted("name.select($this.given).exists() and $this.gender.exists()", on: "Patient")
        try expectRejected("name.where($this.gender.exists())", on: "Patient", column: 18)
        try expectAccepted("telecom.select(iif(value = 'x', $index, {}))", on: "Patient")
        try expectAccepted("%ucum.startsWith('http') and %`vs-x`.length() > 0 and %custom.anything", on: "Patient")
    }

    @Test func lambdasAndFunctionResults() throws {
        try expectAccepted("name.where(given = 'x').family", on: "Patient")
        try expectRejected("name.where(gender = 'x')", on: "Patient", column: 12)
        try expectRejected("name.first().gender", on: "Patient", column: 14)
        try expectAccepted("concept.code.combine($this.descendants().concept.code).isDistinct()", on: "CodeSystem")
        try expectAccepted("entry.where(fullUrl.exists()).select(fullUrl & resource.meta.versionId)", on: "Bundle")
        try expectRejected("entry.select(fullUrl).url", on: "Bundle", column: 23)
        try expectAccepted("Questionnaire.repeat(item).linkId", on: "Questionnaire")
        try expectAccepted("parameter.repeat(part).value", on: "Parameters")
        try expectRejected("item.repeat(item).text.foo", on: "Questionnaire", column: 24)
        try expectAccepted("(1 | 2).aggregate($total + $this, 0) > 2", on: "Patient")
        try expectAccepted("name.trace('n', given).family", on: "Patient")
        try expectRejected("name.trace('n', gender).family", on: "Patient", column: 17)
        try expectAccepted(
            "member.resolve().iif(empty(), true, ofType(Practitioner).exists())", on: "CareTeam.participant")
        try expectAccepted("extension('x').value.code", on: "Patient")
        try expectAccepted("name.sort(-family, given.first()).first().given", on: "Patient")
        try expectRejected("name.sort(-gender)", on: "Patient", column: 12)
        // Unknown functions are left to the compiler, arguments unchecked.
        try expectAccepted("name.noSuchFunction(foo).bar", on: "Patient")
    }

    @Test func stringFunctions() throws {
        try expectRejected("Appointment.identifier.startsWith('rand')", on: "Appointment", column: 24)
        try expectRejected("Appointment.identifier.endsWith('rand')", on: "Appointment", column: 24)
        try expectRejected("identifier.contains('rand')", on: "Appointment", column: 12)
        try expectRejected("name.upper()", on: "Patient", column: 6)
        try expectRejected("name.select(given).first().length() > 1 and name.length() > 1", on: "Patient", column: 50)
        try expectAccepted("identifier.value.startsWith('rand')", on: "Appointment")
        try expectAccepted(
            "name.given.contains('a') and gender.matches('m.*') and id.substring(1).exists()", on: "Patient")
        try expectAccepted(
            "{}.startsWith('') and children().startsWith('x') and contained.lower().exists()", on: "Patient")
        try expectAccepted("birthDate.toString().length() = 10", on: "Patient")
        // The operator `contains` is not the string function.
        try expectAccepted("name contains name.first()", on: "Patient")
    }

    @Test func iifCriteria() throws {
        try expectRejected("iif(1 | 2 | 3, true, false)", on: "Patient", column: 5)
        try expectRejected("iif('non boolean criteria', 'a', 'b')", on: "Patient", column: 5)
        try expectAccepted(
            "iif(1 | 1, true, false) and iif({} | true, true, false) and iif({}, true, false)", on: "Patient")
        try expectAccepted("iif(name.exists(), 'named', 'unnamed')", on: "Patient")
        try expectAccepted("('context').iif($this = 'context', select($this), 'no')", on: "Patient")
        // The message does not quote the literal.
        #expect(try problem("iif('secret', 1, 2)", on: "Patient")?.message.contains("secret") == false)
    }

    @Test func arithmetic() throws {
        try expectRejected("@1974-12-25 + 7", on: "Patient", column: 13)
        try expectRejected("today() - 1", on: "Patient", column: 9)
        try expectRejected("birthDate + 1", on: "Patient", column: 11)
        try expectAccepted(
            "@1974-12-25 + 7 days and birthDate + 1 'd' > today() and now() - 1 'h' < now()", on: "Patient")
        try expectAccepted("(1 + 2.5) * 3 div 2 mod 1 and 2 'mg' * 3 and 'a' + 'b' and '#' + id", on: "Patient")
        // Undefined arithmetic on other types is an execution error, as the official suite expects.
        try expectAccepted("'a' - 'b'", on: "Patient")
        try expectAccepted("@1974-12-25 + {}", on: "Patient")
    }

    @Test func orderedFunctions() throws {
        try expectRejected("Patient.children().skip(1)", on: "Patient", column: 20, ordered: true)
        try expectAccepted("Patient.children().skip(1)", on: "Patient")
        try expectRejected("descendants().where(true).first()", on: "Patient", column: 27, ordered: true)
        try expectRejected("children().select(id)[0]", on: "Patient", column: 1, ordered: true)
        try expectRejected("(name | children()).tail()", on: "Patient", column: 21, ordered: true)
        try expectAccepted("children().sort().first().exists()", on: "Patient", ordered: true)
        try expectAccepted(
            "children().count() > 1 and name.first().exists() and children().exists()", on: "Patient", ordered: true)
    }

    @Test func nestedRepeatsStayCheap() throws {
        // A repeat inside a repeat is typed "any" while the outer one looks for its fixpoint, so
        // the work grows with the square of the nesting, not exponentially.
        var text = "item"
        for _ in 0..<24 { text = "repeat(\(text))" }
        let start = TypeCheckerCorpusTests.now()
        try expectAccepted(text + ".linkId", on: "Questionnaire")
        #expect(TypeCheckerCorpusTests.now() - start < 1)
        try expectRejected("repeat(item).linkId.foo", on: "Questionnaire", column: 21)
    }

    @Test func compileRunsTheChecks() throws {
        let engine = FHIRPathEngine(model: try TestSupport.coreModel())
        let ordered = FHIRPathCheckOptions(checkOrderedFunctions: true)
        #expect(throws: FHIRPathError.self) {
            try engine.compile("Patient.children().skip(1)", contextType: "Patient", options: ordered)
        }
        #expect(throws: FHIRPathError.self) { try engine.compile("name.given1", contextType: "Patient") }
        #expect(throws: FHIRPathError.self) {
            try engine.compile("low.code", contextTypes: ["decimal", "string"])
        }
        // Without a context type there is nothing to check against.
        _ = try engine.compile("name.given1")
        _ = try engine.compile("Patient.children().skip(1)", contextType: "Patient")
        _ = try engine.compile("low.code", contextTypes: ["decimal", "Range"])
    }
}
