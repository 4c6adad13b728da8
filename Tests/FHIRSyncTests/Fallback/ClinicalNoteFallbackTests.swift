import FHIRGate
import FHIRGateTesting
import Testing

/// The sample records translated, and what the Epic-like (and Oracle-like) target refuses folded
/// into clinical notes: one per session, every folded resource named, valid R4 (and US Core
/// DocumentReference), readable doses, no dangling references, deterministic ids.
@Suite(.enabled(if: FallbackFixtures.context != nil, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
struct ClinicalNoteFallbackTests {
    @Test func oneNotePerSessionOrPatientFoldingEveryTiedResourceOnce() throws {
        let (all, refused, notes) = try FallbackFixtures.folded(for: FallbackFixtures.epicFile)
        #expect(!notes.isEmpty)
        let folded = notes.flatMap(\.folded)
        #expect(Set(folded).count == folded.count, "each resource is folded once")
        // Everything refused and tied to one patient is folded; shared resources and the
        // batch-wide Provenance are not (they name no single patient).
        let expectedUnfolded = Set(
            refused.filter { ["Practitioner", "Organization", "Provenance"].contains($0.resourceType) }.map(\.reference)
        )
        #expect(Set(ClinicalNoteFallback.unfolded(refused, notes: notes)) == expectedUnfolded)
        #expect(Set(folded) == Set(refused.map(\.reference)).subtracting(expectedUnfolded))

        let byReference = Dictionary(all.map { ($0.reference, $0) }, uniquingKeysWith: { a, _ in a })
        var sessions: Set<String> = []
        var sessionNotes = 0
        for note in notes {
            let node = note.note.resource
            let encounter = node.child(named: "context")?.child(named: "encounter")
            #expect(encounter == nil, "Encounter is refused by the Epic-like target: the note does not refer to it")
            // The members of a note share one session, or none.
            let members = note.folded.compactMap { byReference[$0] }
            let encounters = Set(members.compactMap(FallbackFixtures.encounter(of:)))
            let memberTypes = Set(members.map(\.resourceType))
            if memberTypes.contains("Encounter") {
                sessionNotes += 1
                #expect(encounters.count == 1, "\(note.folded)")
                if let e = encounters.first { #expect(sessions.insert(e).inserted, "one note per session") }
                #expect(note.note.businessId == "note/" + String(encounters.first?.split(separator: "/").last ?? ""))
            }
            // Each folded resource is named in the text.
            let text = try #require(FallbackFixtures.text(of: node))
            for type in memberTypes {
                let words = ClinicalNoteTextWords.words(type)
                #expect(text.contains(". " + words), "\(type) is named in the note")
            }
            let headings = text.split(separator: "\n").filter { $0.first?.isNumber == true }
            #expect(headings.count == note.folded.count)
        }
        #expect(sessionNotes == all.filter { $0.resourceType == "Encounter" }.count)
        #expect(notes.count > sessionNotes, "per-patient notes for resources of no session (course, consents, tasks)")
    }

    @Test func notesAreValidR4AndUSCore() throws {
        let (_, _, notes) = try FallbackFixtures.folded(for: FallbackFixtures.epicFile)
        var failures: [String] = []
        for note in notes {
            let errors = try FallbackFixtures.errors(note.note.resource)
            if !errors.isEmpty { failures.append(note.note.businessId + ":\n" + FallbackFixtures.describe(errors)) }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
        if FallbackFixtures.usCoreFolder != nil {
            for note in notes.prefix(8) {
                let errors = try FallbackFixtures.errors(
                    note.note.resource, profiles: [FallbackFixtures.usCoreDocumentReference])
                #expect(errors.isEmpty, "\(FallbackFixtures.describe(errors))")
            }
        }
    }

    @Test func noteCarriesTheDocumentElements() throws {
        let (all, _, notes) = try FallbackFixtures.folded(for: FallbackFixtures.epicFile)
        let byReference = Dictionary(all.map { ($0.reference, $0) }, uniquingKeysWith: { a, _ in a })
        var therapy = 0
        for note in notes {
            let n = note.note.resource
            #expect(n.childValue("status") == "current" && n.childValue("docStatus") == "final")
            let type = n.child(named: "type")?.child(named: "coding")
            #expect(type?.childValue("system") == "http://loinc.org")
            let code = type?.childValue("code")
            #expect(code == "11506-3" || code == "34904-3")
            if code == "34904-3" { therapy += 1 }
            #expect(n.child(named: "subject")?.childValue("reference")?.hasPrefix("Patient/") == true)
            let attachments = n.children(named: "content").flatMap { $0.children(named: "attachment") }
            #expect(attachments.count == 1)
            #expect(attachments.first?.childValue("contentType") == "text/plain; charset=utf-8")
            let period = n.child(named: "context")?.child(named: "period")
            #expect(period?.childValue("end") != nil && n.childValue("date") == period?.childValue("end"))
            #expect(n.children(named: "relatesTo").isEmpty)
            // meta.security: the union of the folded resources' labels.
            let labels = Set(
                n.child(named: "meta")?.children(named: "security").compactMap { $0.childValue("code") } ?? [])
            for ref in note.folded {
                let folded = try #require(byReference[ref])
                for label in folded.resource.child(named: "meta")?.children(named: "security") ?? [] {
                    #expect(labels.contains(label.childValue("code") ?? "?"))
                }
            }
            #expect(
                n.child(named: "identifier")?.childValue("value") == note.note.id,
                "an identifier for conditional create")
        }
        #expect(therapy > 0, "preparation and integration sessions give mental health progress notes")
        #expect(notes.contains { $0.note.revealsSubstanceUse }, "the SUD patient's notes are labelled")
        let sud = try #require(notes.first { $0.note.revealsSubstanceUse })
        let sudLabels = sud.note.resource.child(named: "meta")?.children(named: "security").compactMap {
            $0.childValue("code")
        }
        #expect(sudLabels?.contains("42CFRPart2") == true)
        #expect(FallbackFixtures.text(of: sud.note.resource)?.contains("42 CFR Part 2") == true)
    }

    @Test func attachmentTextGivesDosesWithUnits() throws {
        let (all, _, notes) = try FallbackFixtures.folded(for: FallbackFixtures.epicFile)
        let byReference = Dictionary(all.map { ($0.reference, $0) }, uniquingKeysWith: { a, _ in a })
        var checked = 0
        for note in notes {
            let text = try #require(FallbackFixtures.text(of: note.note.resource))
            for ref in note.folded where ref.hasPrefix("MedicationAdministration/") {
                let ma = try #require(byReference[ref])
                let dose = try #require(ma.resource.child(named: "dosage")?.child(named: "dose"))
                let value = try #require(dose.childValue("value"))
                #expect(dose.childValue("unit") == "mg")
                #expect(text.contains("dose: " + value + " mg"), "\(ref)")
                if let period = ma.resource.child(named: "effective"), let start = period.childValue("start") {
                    #expect(text.contains(start))
                }
                checked += 1
            }
        }
        #expect(checked >= 30)
        let first = try #require(notes.first { $0.folded.contains { $0.hasPrefix("MedicationAdministration/") } })
        let text = try #require(FallbackFixtures.text(of: first.note.resource))
        #expect(text.contains("mg/kg/h"), "the weight-based rate extension is written with its unit")
        #expect(text.contains("(SNOMED CT 47625008)"), "codes with their system")
    }

    @Test(arguments: [FallbackFixtures.epicFile, FallbackFixtures.oracleFile])
    func noDanglingReferencesAfterRewriting(_ file: String) throws {
        let (all, refused, notes) = try FallbackFixtures.folded(for: file)
        let refusedSet = Set(refused.map(\.reference))
        let fallback = ClinicalNoteFallback(model: try TestSupport.coreModel(), clinicBase: FallbackFixtures.clinicBase)
        let sendable = all.filter { !refusedSet.contains($0.reference) }
        let rewritten =
            fallback.rewriteReferences(
                in: sendable, folded: notes, notSent: ClinicalNoteFallback.unfolded(refused, notes: notes))
            + notes.map(\.note)
        let delivered = Set(rewritten.map(\.reference))
        var dangling: [String] = []
        for r in rewritten {
            for ref in FallbackFixtures.references(in: r.resource) where !ref.hasPrefix("#") {
                if !delivered.contains(ref) { dangling.append(r.reference + " -> " + ref) }
            }
        }
        #expect(dangling.isEmpty, "\(dangling.prefix(10))")
        #expect(rewritten.count == sendable.count + notes.count)
        if file == FallbackFixtures.oracleFile {
            // Provenance.target may name a DocumentReference: folded targets point to their notes.
            let provenance = try #require(rewritten.first { $0.resourceType == "Provenance" })
            let targets = provenance.resource.children(named: "target").compactMap { $0.childValue("reference") }
            #expect(targets.contains { $0.hasPrefix("DocumentReference/") && notes.map(\.note.reference).contains($0) })
            #expect(!targets.contains { $0.hasPrefix("MedicationAdministration/") })
            #expect(Set(targets).count == targets.count)
        } else {
            // The encounter our profiles require stays, as a display-only reference.
            let observation = try #require(
                rewritten.first { $0.resourceType == "Observation" && $0.resource.child(named: "encounter") != nil })
            let encounter = try #require(observation.resource.child(named: "encounter"))
            #expect(encounter.childValue("reference") == nil && encounter.childValue("display") != nil)
        }
        // Rewritten resources stay valid against R4 and the profiles they claim (one patient's worth).
        var failures: [String] = []
        for r in rewritten.filter({ $0.resourceType == "Observation" || $0.resourceType == "Procedure" }).prefix(40) {
            let errors = try FallbackFixtures.errors(r.resource)
            if !errors.isEmpty { failures.append(r.reference + ":\n" + FallbackFixtures.describe(errors)) }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    @Test func foldingIsDeterministic() throws {
        let first = try FallbackFixtures.folded(for: FallbackFixtures.epicFile)
        let second = try FallbackFixtures.folded(for: FallbackFixtures.epicFile)
        #expect(first.notes.map(\.note.id) == second.notes.map(\.note.id))
        let writer = FHIRJSONWriter(model: try TestSupport.coreModel())
        #expect(
            first.notes.map { writer.write($0.note.resource) } == second.notes.map { writer.write($0.note.resource) })
        // The id follows the documented name; other content gives another id.
        let note = try #require(first.notes.first)
        let key = String(note.note.businessId.dropFirst("note/".count))
        let name = "DocumentReference|note|" + key + "|" + note.folded.sorted().joined(separator: ",")
        #expect(note.note.id == UUIDv5.make(namespace: UUIDv5.fhirGateNamespace, name: name))
        let fallback = ClinicalNoteFallback(model: try TestSupport.coreModel(), clinicBase: FallbackFixtures.clinicBase)
        let fewer = first.refused.filter { $0.reference != note.folded.last }
        let refolded = fallback.fold(fewer, all: first.all)
        #expect(!refolded.map(\.note.id).contains(note.note.id))
        #expect(refolded.count == first.notes.count || note.folded.count == 1)
    }
}

/// The words a type is named with in the note (`MedicationAdministration` -> `Medication administration`).
enum ClinicalNoteTextWords {
    static func words(_ type: String) -> String {
        var out = ""
        for (i, c) in type.enumerated() {
            if c.isUppercase && i > 0 {
                out += " " + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
