import FHIRGate
import FHIRGateTesting
import Testing

@Suite("fhirgate samples generate (runs the built binary)")
struct SamplesCommandTests {
    @Test(
        "every clinic command has help with a discussion and examples",
        arguments: [["samples", "generate"], ["import", "referrals"], ["translate"]])
    func helpTexts(_ command: [String]) throws {
        let out = try BinaryRunner.run(command + ["--help"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let text = out.stdoutText
        #expect(text.contains("USAGE: fhirgate " + command.joined(separator: " ")), "\(text)")
        #expect(text.contains("Examples:"))
        #expect(text.contains("Exit status:"))
        #expect(text.contains("OPTIONS:"))
    }

    @Test("the same patients and seed give the same bytes; the first K patients of a larger run are the same")
    func determinism() throws {
        let scratch = try ClinicScratch()
        defer { scratch.remove() }
        let a = try BinaryRunner.run(["samples", "generate", "--patients", "4", "--seed", "99"])
        let b = try BinaryRunner.run(["samples", "generate", "--patients", "4", "--seed", "99", "-o", scratch.dir])
        #expect(a.status == 0 && b.status == 0, "stderr: \(a.stderr) \(b.stderr)")
        #expect(!a.stdout.isEmpty)
        #expect(try scratch.read("clinic-records.ndjson") == a.stdout)
        #expect(a.stderr.contains("4 patients, seed 99: "), "the summary goes to stderr: \(a.stderr)")
        #expect(a.stderr.contains("(4 patient, "))

        let other = try BinaryRunner.run(["samples", "generate", "--patients", "4", "--seed", "100"])
        #expect(other.stdout != a.stdout)
        let larger = try BinaryRunner.run(["samples", "generate", "--patients", "6", "--seed", "99"])
        #expect(larger.stdout.starts(with: a.stdout), "patient i depends only on the seed and i")

        // Every line is a record the strict reader accepts, and the batch holds together.
        let read = ClinicRecordReader().read(a.stdout, fileName: "generated.ndjson")
        #expect(read.issues.isEmpty, "\(read.issues.map(\.description))")
        #expect(read.records.count == a.stdoutText.split(separator: "\n").count)
        #expect(ClinicRecordBatchChecker.check(read.records).isEmpty)
    }

    @Test("--format json writes directory.json and one file per patient, the same records as the NDJSON")
    func jsonFiles() throws {
        let scratch = try ClinicScratch()
        defer { scratch.remove() }
        let out = try BinaryRunner.run(
            ["samples", "generate", "--patients", "2", "--seed", "5", "--format", "json", "-o", scratch.dir])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let names = try FileBytes.listDirectory(scratch.dir)
        #expect(names == ["MRN-000001.json", "MRN-000002.json", "directory.json"])
        var fromFiles: [ClinicRecord] = []
        for name in ["directory.json", "MRN-000001.json", "MRN-000002.json"] {
            let read = ClinicRecordReader().read(fileAtPath: scratch.dir + "/" + name)
            #expect(read.issues.isEmpty, "\(name): \(read.issues.map(\.description))")
            fromFiles += read.records.map(\.record)
        }
        #expect(fromFiles == Array(SyntheticClinicGenerator(patients: 2, seed: 5)))
    }

    @Test("wrong arguments exit 2")
    func usageErrors() throws {
        for arguments in [
            ["samples", "generate", "--patients", "0", "--seed", "1"],
            ["samples", "generate", "--patients", "2"],
            ["samples", "generate", "--patients", "2", "--seed", "-4"],
            ["samples", "generate", "--patients", "2", "--seed", "1", "--format", "json"],
            ["samples", "generate", "--patients", "2", "--seed", "1", "-o", "/proc/no/such/folder"],
        ] {
            let out = try BinaryRunner.run(arguments)
            #expect(out.status == 2, "\(arguments): \(out.stderr)")
            #expect(out.stdout.isEmpty)
        }
    }

    @Test("Samples/records covers the whole course, with one SUD patient (Part 2 consent) and one without")
    func samplesCoverTheCourse() throws {
        var records: [LocatedRecord] = []
        for name in try FileBytes.listDirectory(ClinicSamples.records) where name.hasSuffix(".json") {
            let read = ClinicRecordReader().read(fileAtPath: ClinicSamples.records + "/" + name)
            #expect(read.issues.isEmpty, "\(name): \(read.issues.map(\.description))")
            records += read.records
        }
        #expect(ClinicRecordBatchChecker.check(records).isEmpty)
        let all = records.map(\.record)
        let patients = all.compactMap { if case .patient(let p) = $0 { p } else { nil } }
        #expect(patients.count == ClinicSamples.patients)
        let sessions = all.compactMap { if case .infusionSession(let s) = $0 { s } else { nil } }
        let referrals = all.compactMap { if case .referral(let r) = $0 { r } else { nil } }
        let consents = all.compactMap { if case .consent(let c) = $0 { c } else { nil } }
        let questionnaires = all.compactMap { if case .questionnaireResponse(let q) = $0 { q } else { nil } }
        let therapy = all.compactMap { if case .therapySession(let t) = $0 { t } else { nil } }
        #expect(referrals.count == patients.count)
        #expect(Set(consents.map(\.patientId)) == Set(patients.map(\.id)))
        let iv = sessions.filter { $0.route == .iv }
        #expect(iv.count >= 6, "an induction series of IV infusions")
        let titrated = iv.filter { s in
            s.administrations.count > 1 && Set(s.administrations.compactMap(\.rateMgPerKgPerHour?.lexeme)).count > 1
        }
        #expect(!titrated.isEmpty, "a mid-session titration")
        #expect(sessions.contains { $0.route == .nasal && !$0.nasalDevices.isEmpty }, "a nasal esketamine session")
        let systolic = sessions.flatMap(\.vitals).compactMap { $0.systolicMmHg.flatMap { Double($0.lexeme) } }
        #expect(systolic.contains { $0 >= 140 }, "an elevated blood pressure")
        #expect(sessions.contains { !$0.sideEffects.isEmpty }, "a side effect")
        #expect(therapy.contains { $0.sessionType == .integration }, "an integration session")
        #expect(all.contains { $0.kind == .summaryLetter }, "the summary letter")
        for patient in patients {
            for instrument in [QuestionnaireResponseRecord.Instrument.phq9, .gad7] {
                let taken = questionnaires.filter { $0.patientId == patient.id && $0.instrument == instrument }
                #expect(Set(taken.map(\.authored.lexeme)).count >= 2, "\(instrument) before and after")
            }
        }
        let sud = referrals.filter(\.impliesSubstanceUseDisorder).map(\.patientId)
        let part2 = consents.filter(\.coversSubstanceUse).map(\.patientId)
        #expect(sud.contains { part2.contains($0) }, "a patient with an SUD diagnosis and a Part 2 consent")
        #expect(patients.contains { !sud.contains($0.id) && !part2.contains($0.id) }, "a patient without")
    }
}
