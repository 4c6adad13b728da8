import ClinicRecords
import FHIRModel
import Testing

@Suite struct ExampleRecordTests {
    @Test func everyExampleFixtureReadsCleanly() throws {
        let files = try Fixtures.files("examples", suffix: ".json")
        #expect(files.count >= 13)
        var kinds: Set<ClinicRecordKind> = []
        for file in files {
            let result = ClinicRecordReader().read(fileAtPath: Fixtures.path("examples/" + file))
            #expect(result.issues.isEmpty, "\(file):\n\(result.summary)")
            #expect(result.records.count == 1, "\(file)")
            if let record = result.records.first {
                kinds.insert(record.record.kind)
                #expect(file.hasPrefix(record.record.kind.rawValue), "\(file) holds a \(record.record.kind)")
                #expect(record.position == SourcePosition(line: 1, column: 1))
            }
        }
        #expect(kinds == Set(ClinicRecordKind.allCases))
    }

    @Test func everyExampleOfTheDocumentReadsCleanly() throws {
        let doc = String(
            decoding: try FileBytes.read(Fixtures.directory + "/../../../docs/clinic-records.md"), as: UTF8.self)
        let blocks = Fixtures.jsonBlocks(ofMarkdown: doc)
        #expect(blocks.count >= 10)
        var kinds: Set<ClinicRecordKind> = []
        for block in blocks {
            let result = Fixtures.read(block.text, fileName: "clinic-records.md@\(block.line)")
            #expect(result.issues.isEmpty, "block at line \(block.line):\n\(result.summary)")
            #expect(!result.records.isEmpty, "block at line \(block.line)")
            for r in result.records { kinds.insert(r.record.kind) }
        }
        #expect(kinds == Set(ClinicRecordKind.allCases))
    }

    @Test func theDocumentShowsEachExampleFixtureVerbatim() throws {
        let doc = String(
            decoding: try FileBytes.read(Fixtures.directory + "/../../../docs/clinic-records.md"), as: UTF8.self)
        let blocks = Set(Fixtures.jsonBlocks(ofMarkdown: doc).map { $0.text.trimmingTrailingNewlines() })
        for file in try Fixtures.files("examples", suffix: ".json") {
            let text = try Fixtures.text("examples/" + file).trimmingTrailingNewlines()
            #expect(blocks.contains(text), "docs/clinic-records.md does not show \(file) as it is")
        }
    }

    @Test func infusionSessionValuesAreKeptExactly() throws {
        let result = ClinicRecordReader().read(fileAtPath: Fixtures.path("examples/infusionSession.json"))
        guard case .infusionSession(let s) = try #require(result.records.first).record else {
            Testing.Issue.record("not an infusion session")
            return
        }
        #expect(s.bodyWeight?.quantity.value.lexeme == "70.0")
        #expect(s.bodyWeight?.quantity.unit == .kg)
        #expect(s.administrations.count == 2)
        #expect(s.administrations[0].rateMgPerKgPerHour?.lexeme == "0.5")
        #expect(s.administrations[0].rateMgPerHour?.lexeme == "35")
        #expect(s.administrations[0].pumpRateMlPerHour?.lexeme == "70")
        #expect(s.administrations[0].doseMg?.lexeme == "11.7")
        #expect(s.administrations[1].doseMg == nil)
        #expect(s.administrations[1].rateMgPerKgPerHour?.lexeme == "0.75")
        #expect(s.boluses.first?.dose.value.lexeme == "0.1")
        #expect(s.boluses.first?.dose.unit == .mgPerKg)
        #expect(s.vitals.count == 4)
        #expect(s.vitals[1].phase == .intra)
        #expect(s.vitals[0].temperatureCel?.lexeme == "36.8")
        #expect(s.sideEffects.first?.finding == .nausea)
        #expect(s.sideEffects.last?.finding == nil)
        if case .bag(let drug, let volume, _, let ndc) = s.product {
            #expect(drug.lexeme == "50")
            #expect(volume.lexeme == "100")
            #expect(ndc == "67457-108-10")
        } else {
            Testing.Issue.record("expected a bag")
        }
    }

    @Test func referralImpliesSUDFromF10ToF19() throws {
        let result = ClinicRecordReader().read(fileAtPath: Fixtures.path("examples/referral.json"))
        guard case .referral(let r) = try #require(result.records.first).record else {
            Testing.Issue.record("not a referral")
            return
        }
        #expect(r.impliesSubstanceUseDisorder)
        #expect(r.failedTrialsCount == 3)
        #expect(ReasonCode(icd10: "F33.2").isSubstanceUseDisorder == false)
        #expect(ReasonCode(icd10: "F19.20").isSubstanceUseDisorder)
        #expect(ReasonCode(icd10: "F20.9").isSubstanceUseDisorder == false)
    }

    @Test func questionnaireAnswersKeepTheirForm() throws {
        let result = ClinicRecordReader().read(fileAtPath: Fixtures.path("examples/questionnaireResponse.json"))
        guard case .questionnaireResponse(let q) = try #require(result.records.first).record else {
            Testing.Issue.record("not a questionnaire response")
            return
        }
        #expect(q.instrument == .phq9)
        #expect(q.answers.count == 10)
        #expect(q.answers[2] == .init(itemCode: "44259-0", answer: .score(2)))
        #expect(q.answers[0] == .init(itemCode: "44250-9", answer: .loinc("LA6570-1")))
        #expect(q.suppliedTotal == 14)
    }

    @Test func therapyNotesFlagPsychotherapyNotes() throws {
        let result = ClinicRecordReader().read(fileAtPath: Fixtures.path("examples/therapySession.json"))
        guard case .therapySession(let t) = try #require(result.records.first).record else {
            Testing.Issue.record("not a therapy session")
            return
        }
        #expect(t.hasPsychotherapyNotes)
        #expect(t.notes.map(\.isPsychotherapyNote) == [false, true])
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
