import ClinicRecords
import FHIRModel
import Testing

@Suite struct SyntheticTests {
    /// Writes the records as NDJSON, reads them back strictly and checks them as one batch.
    private func readBack(_ records: [ClinicRecord], name: String) -> ClinicRecordReadResult {
        ClinicRecordReader().read(ClinicRecordWriter().ndjson(records), fileName: name + ".ndjson")
    }

    @Test(arguments: [(UInt64(1), 1), (UInt64(42), 12), (UInt64(20_260_310), 25), (UInt64.max, 10), (UInt64(0), 3)])
    func everyGeneratedRecordReadsCleanly(seed: UInt64, patients: Int) {
        let records = Array(SyntheticClinicGenerator(patients: patients, seed: seed))
        let result = readBack(records, name: "seed-\(seed)")
        #expect(result.issues.isEmpty, "seed \(seed):\n\(result.summary)")
        #expect(result.records.count == records.count)
        #expect(result.records.map(\.record) == records)
        let batch = ClinicRecordBatchChecker.check(result.records)
        #expect(batch.isEmpty, "seed \(seed): \(batch.map(\.description).joined(separator: "\n"))")
    }

    @Test func theSameSeedGivesTheSameRecordsAndAnotherSeedOthers() {
        let a = ClinicRecordWriter().ndjson(SyntheticClinicGenerator(patients: 5, seed: 7))
        let b = ClinicRecordWriter().ndjson(SyntheticClinicGenerator(patients: 5, seed: 7))
        let c = ClinicRecordWriter().ndjson(SyntheticClinicGenerator(patients: 5, seed: 8))
        #expect(a == b)
        #expect(a != c)
    }

    @Test func aPatientDependsOnlyOnTheSeedAndItsIndex() {
        let small = SyntheticClinicGenerator(patients: 3, seed: 99)
        let large = SyntheticClinicGenerator(patients: 500, seed: 99)
        #expect(small.patientRecords(2) == large.patientRecords(2))
        #expect(Array(small.patientCourses)[1] == large.patientRecords(1))
        #expect(Array(large.patientCourses.prefix(3)).count == 3)
    }

    @Test func everyDateIsInsideTheSeedsWindow() throws {
        for seed: UInt64 in [3, 1_000, 77_777] {
            let generator = SyntheticClinicGenerator(patients: 15, seed: seed)
            let (start, end) = generator.window
            #expect(start.year >= 2024 && end.year <= 2026)
            let text = String(decoding: ClinicRecordWriter().ndjson(generator), as: UTF8.self)
            // Every date or date-time in the output (birth dates aside) is in the window.
            var checked = 0
            for line in text.split(separator: "\n") where !line.contains("\"kind\":\"patient\"") {
                for date in Self.dates(in: String(line)) {
                    checked += 1
                    #expect(
                        date >= start.lexeme && date <= end.lexeme, "seed \(seed): \(date) outside the window")
                }
            }
            #expect(checked > 15 * 40)
        }
        let windows = Set((0..<20).map { SyntheticClinicGenerator(patients: 0, seed: UInt64($0)).window.start.lexeme })
        #expect(windows.count > 10, "the seed chooses the window")
    }

    @Test func thePatientsHaveTheWholeCourse() throws {
        let generator = SyntheticClinicGenerator(patients: 20, seed: 2026)
        var sudWithPart2 = 0
        var sudWithoutPart2 = 0
        var nasal = 0
        var intramuscular = 0
        var titrated = 0
        var elevated = 0
        var sideEffects = 0
        var psychotherapyNotes = 0
        for course in generator.patientCourses {
            let sessions = course.compactMap { r -> InfusionSessionRecord? in
                if case .infusionSession(let s) = r { return s }
                return nil
            }
            let iv = sessions.filter { $0.route == .iv }
            #expect(iv.count == 6)
            #expect(course.filter { $0.kind == .patient }.count == 1)
            #expect(course.filter { $0.kind == .referral }.count == 1)
            #expect(course.filter { $0.kind == .summaryLetter }.count == 1)
            if iv.contains(where: {
                $0.administrations.count == 2
                    && $0.administrations[0].rateMgPerKgPerHour != $0.administrations[1].rateMgPerKgPerHour
            }) {
                titrated += 1
            }
            elevated +=
                sessions.contains { s in s.vitals.contains { ($0.systolicMmHg ?? FHIRDecimal(0)) >= FHIRDecimal(150) } }
                ? 1 : 0
            sideEffects += sessions.contains { !$0.sideEffects.isEmpty } ? 1 : 0
            nasal += sessions.contains { $0.route == .nasal && !$0.nasalDevices.isEmpty } ? 1 : 0
            intramuscular += sessions.contains { $0.route == .im && !$0.boluses.isEmpty } ? 1 : 0
            let qrs = course.compactMap { r -> QuestionnaireResponseRecord? in
                if case .questionnaireResponse(let q) = r { return q }
                return nil
            }
            let phq = qrs.filter { $0.instrument == .phq9 }.map(Self.total)
            let gad = qrs.filter { $0.instrument == .gad7 }.map(Self.total)
            #expect(phq.count == 3 && gad.count == 3)
            if let first = phq.first, let last = phq.last { #expect(last < first, "PHQ-9 improves: \(phq)") }
            if let first = gad.first, let last = gad.last { #expect(last <= first, "GAD-7 improves: \(gad)") }
            #expect(qrs.filter { $0.instrument == .dissociationNRS }.count == sessions.count)
            psychotherapyNotes +=
                course.contains { r in
                    if case .therapySession(let t) = r { return t.hasPsychotherapyNotes }
                    return false
                } ? 1 : 0
            let sud = course.contains { r in
                if case .referral(let ref) = r { return ref.impliesSubstanceUseDisorder }
                return false
            }
            let part2 = course.contains { r in
                if case .consent(let c) = r { return c.coversSubstanceUse }
                return false
            }
            #expect(!part2 || sud, "a Part 2 consent only for SUD patients")
            if sud && part2 { sudWithPart2 += 1 }
            if sud && !part2 { sudWithoutPart2 += 1 }
        }
        #expect(sudWithPart2 >= 2 && sudWithoutPart2 >= 1)
        #expect(nasal >= 2 && intramuscular >= 1)
        #expect(titrated == 20, "every patient has a mid-session titration (session 2)")
        #expect(elevated >= 2 && sideEffects >= 2 && psychotherapyNotes >= 1)
    }

    @Test func directoryHasValidNPIsAndIsReferencedByTheCourses() throws {
        let generator = SyntheticClinicGenerator(patients: 2, seed: 5)
        let directory = generator.directoryRecords
        var npis = 0
        for record in directory {
            switch record {
            case .practitioner(let p):
                if let npi = p.npi {
                    npis += 1
                    #expect(Self.luhnValid(npi), "\(npi)")
                }
            case .organization(let o):
                if let npi = o.npi {
                    npis += 1
                    #expect(Self.luhnValid(npi), "\(npi)")
                }
            default: Testing.Issue.record("the directory holds only practitioners and organizations")
            }
        }
        #expect(npis == directory.count)
        #expect(Set(directory.map(\.id)).count == directory.count)
        let all = Array(generator)
        #expect(Array(all.prefix(directory.count)) == directory)
        #expect(all.count == directory.count + generator.patientRecords(0).count + generator.patientRecords(1).count)
    }

    @Test func tenThousandPatientsStreamWithoutKeepingThemAll() {
        // Only counts (the records of one patient are alive at a time); reading them all would
        // take minutes in a debug build, so a sample is read strictly.
        let generator = SyntheticClinicGenerator(patients: 10_000, seed: 11)
        var count = 0
        var sample: [ClinicRecord] = []
        for (i, record) in generator.enumerated() {
            count += 1
            if i % 997 == 0 { sample.append(record) }
        }
        #expect(count > 10_000 * 30)
        let result = readBack(sample, name: "sample")
        #expect(result.issues.isEmpty, "\(result.summary)")
    }

    static func total(_ q: QuestionnaireResponseRecord) -> Int {
        q.answers.reduce(0) { sum, item in
            guard item.itemCode != "69722-7" else { return sum }
            switch item.answer {
            case .score(let s): return sum + s
            case .loinc(let code): return sum + (QuestionnaireResponseRecord.answerScores[code] ?? 0)
            }
        }
    }

    /// The dates (`YYYY-MM-DD`, alone or starting a date-time) in quoted JSON strings.
    static func dates(in text: String) -> [String] {
        let b = Array(text.utf8)
        var out: [String] = []
        var i = 0
        while i + 11 <= b.count {
            if b[i] == 0x22, b[i + 5] == 0x2D, b[i + 8] == 0x2D, b[i + 1] == 0x32,
                b[(i + 1)...(i + 4)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            {
                out.append(String(decoding: b[(i + 1)...(i + 10)], as: UTF8.self))
                i += 11
            } else {
                i += 1
            }
        }
        return out
    }

    static func luhnValid(_ npi: String) -> Bool {
        let digits = [8, 0, 8, 4, 0] + npi.utf8.map { Int($0) - 48 }
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            sum += i % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d
        }
        return npi.utf8.count == 10 && sum % 10 == 0
    }
}
