import FHIRModel

/// The whole course of one synthetic patient, in time order: patient, referral, consents,
/// treatment course(s), preparation, the IV induction series (2 a week, titrated), PHQ-9 and
/// GAD-7 before, during and after (improving), dissociation ratings, integration sessions with
/// notes, an optional nasal esketamine or IM maintenance course, and the summary letter.
struct SyntheticPatientCourse {
    /// What kind of patient this is; `profile` 0-9 spreads the features so that any ten
    /// consecutive patients include each of them.
    struct Features {
        var substanceUse: Bool
        var part2Consent: Bool
        var maintenance: AdministrationRoute?
        var guaranteedSideEffect: Bool
        var guaranteedElevatedBP: Bool

        init(profile: Int) {
            substanceUse = [2, 6, 9].contains(profile)
            part2Consent = [2, 9].contains(profile)
            maintenance = [1, 4, 7].contains(profile) ? .nasal : ([3, 8].contains(profile) ? .im : nil)
            guaranteedSideEffect = profile == 0
            guaranteedElevatedBP = profile == 5
        }
    }

    /// Outcome scores at baseline, mid-series and the end (improving).
    struct Trajectory {
        var phq9: [Int]
        var gad7: [Int]

        init(rng: inout SplitMix64) {
            let responder = rng.chance(70)
            let phq0 = rng.int(14...24)
            let gad0 = rng.int(10...19)
            let keep = responder ? rng.int(20...50) : rng.int(70...90)
            let phqEnd = phq0 * keep / 100
            let gadEnd = gad0 * (keep + rng.int(-10...10)) / 100
            phq9 = [phq0, (phq0 + phqEnd) / 2 + rng.int(-1...1), phqEnd]
            gad7 = [gad0, (gad0 + gadEnd) / 2 + rng.int(-1...1), max(gadEnd, 0)]
        }
    }

    let index: Int
    let directory: SyntheticDirectory
    let windowStart: SyntheticDay
    var rng: SplitMix64
    let features: Features
    var records: [ClinicRecord] = []

    init(index: Int, seed: UInt64, directory: SyntheticDirectory, windowStart: SyntheticDay) {
        self.index = index
        self.directory = directory
        self.windowStart = windowStart
        self.rng = SplitMix64.stream(seed: seed, index: UInt64(index))
        self.features = Features(profile: (index + Int(seed % 10)) % 10)
    }

    var tag: String { SyntheticDay.pad(index + 1, 6) }
    var patientId: String { "MRN-" + tag }

    /// Makes the records.
    mutating func build() -> [ClinicRecord] {
        let referrer = rng.pick(directory.referrers)
        let referralDay = weekday(windowStart.adding(rng.int(0...200)))
        records.append(.patient(makePatient(referrer: referrer)))
        let referral = makeReferral(referrer: referrer, on: referralDay)
        records.append(.referral(referral))
        let intake = weekday(referralDay.adding(rng.int(7...21)))
        addConsents(referrer: referrer, on: intake, referral: referral)

        let prescriber = rng.pick(SyntheticDirectory.prescriberIds)
        let therapist = rng.pick(SyntheticDirectory.therapistIds)
        let maker = SyntheticSessionMaker(
            patientId: patientId,
            baseline: .init(
                weightTenthsKg: rng.int(550...1_250), weighsInPounds: rng.chance(10), systolic: rng.int(110...135),
                diastolic: rng.int(70...85), heartRate: rng.int(60...95)),
            nurseId: rng.pick(SyntheticDirectory.nurseIds), prescriberId: prescriber)
        let trajectory = Trajectory(rng: &rng)

        let days = inductionDays(after: intake)
        let course = ivCourse(referral: referral, prescriber: prescriber, days: days)
        records.append(.treatmentCourse(course))
        addTherapy(
            "PREP", .preparation, course.id, therapist, SyntheticTime(intake, hour: 13),
            note: rng.pick(SyntheticVocabulary.preparationNotes))
        let lastDay = addInduction(
            days: days, course: course, maker: maker, therapist: therapist, trajectory: trajectory)
        var finalDay = lastDay
        if let route = features.maintenance {
            finalDay = addMaintenance(
                route: route, after: lastDay, referral: referral, prescriber: prescriber, maker: maker)
        }
        records.append(
            .summaryLetter(
                letter(
                    course: course, referral: referral, prescriber: prescriber, days: days,
                    on: finalDay.adding(rng.int(5...10)), trajectory: trajectory)))
        return records
    }

    /// Six session days, two a week (Monday and Thursday, or Tuesday and Friday).
    private mutating func inductionDays(after intake: SyntheticDay) -> [SyntheticDay] {
        var days = [intake.adding(3).next(weekday: rng.pick([1, 2]))]
        for i in 1..<6 { days.append(days[i - 1].adding(i % 2 == 1 ? 3 : 4)) }
        return days
    }

    private func ivCourse(referral: ReferralRecord, prescriber: String, days: [SyntheticDay]) -> TreatmentCourseRecord {
        TreatmentCourseRecord(
            id: "COURSE-" + tag + "-IV", patientId: patientId, referralId: referral.id, prescriberId: prescriber,
            phase: .induction, status: .completed, indications: [referral.reasons[0]], start: days[0].date,
            end: days[days.count - 1].date,
            order: .init(
                drug: .ketamine, route: .iv, dose: Self.quantity(50, .mgPerKg),
                rate: Self.quantity(50, .mgPerKgPerHour),
                maxDose: Self.quantity(100, .mgPerKg), seriesCount: days.count, frequency: .init(count: 2, per: .wk)))
    }

    /// The induction infusions with their questionnaires and integration sessions; returns the
    /// last day of the series (the final integration session).
    private mutating func addInduction(
        days: [SyntheticDay], course: TreatmentCourseRecord, maker: SyntheticSessionMaker, therapist: String,
        trajectory: Trajectory
    ) -> SyntheticDay {
        let hour = rng.pick([9, 10, 11, 13])
        var rate = 50
        var last = days[days.count - 1]
        for (i, day) in days.enumerated() {
            let n = i + 1
            let sessionId = "SESS-" + tag + "-" + SyntheticDay.pad(n, 2)
            let start = SyntheticTime(day, hour: hour)
            if n == 1 || n == 4 {
                let stage = n == 1 ? 0 : 1
                addOutcomes(stage: stage, sessionId: sessionId, at: start.adding(minutes: -40), trajectory: trajectory)
            }
            let titrate = n == 2 || (n > 2 && rate < 100 && rng.chance(60))
            let elevated = rng.chance(12) || (features.guaranteedElevatedBP && n == 2)
            let stopped = n > 2 && rng.chance(3)
            var session = maker.intravenous(
                id: sessionId, courseId: course.id, start: start, rate: rate, titrate: titrate, elevatedBP: elevated,
                stopped: stopped, rng: &rng)
            if features.guaranteedSideEffect && n == 1 && session.sideEffects.isEmpty {
                session.sideEffects.append(
                    .init(
                        time: start.adding(minutes: 25).dateTime, finding: .nausea, severity: .mild,
                        action: .medicationGiven, actionText: "ondansetron 4 mg"))
            }
            if titrate && !stopped { rate = min(rate + 25, 100) }
            records.append(.infusionSession(session))
            records.append(
                .questionnaireResponse(
                    SyntheticQuestionnaires.dissociation(
                        id: "QR-" + tag + "-NRS-" + SyntheticDay.pad(n, 2), patientId: patientId, sessionId: sessionId,
                        authored: start.adding(minutes: 55), score: rng.int(2...8))))
            if n == 1 || n == 3 || n == days.count {
                let therapyDay = weekday(day.adding(1))
                last = therapyDay
                let therapyId = addTherapy(
                    "INT-" + SyntheticDay.pad(n, 2), .integration, course.id, therapist,
                    SyntheticTime(therapyDay, hour: 14), note: rng.pick(SyntheticVocabulary.progressNotes),
                    psychotherapy: rng.chance(30))
                if n == days.count {
                    addOutcomes(
                        stage: 2, sessionId: therapyId, at: SyntheticTime(therapyDay, hour: 14, minute: 5),
                        trajectory: trajectory)
                }
            }
        }
        return last
    }

    /// PHQ-9 and GAD-7 at one stage (0 baseline, 1 mid-series, 2 end).
    private mutating func addOutcomes(stage: Int, sessionId: String, at time: SyntheticTime, trajectory: Trajectory) {
        let suffix = ["0", "MID", "END"][stage]
        records.append(
            .questionnaireResponse(
                SyntheticQuestionnaires.phq9(
                    id: "QR-" + tag + "-PHQ9-" + suffix, patientId: patientId, sessionId: sessionId, authored: time,
                    total: trajectory.phq9[stage], rng: &rng)))
        records.append(
            .questionnaireResponse(
                SyntheticQuestionnaires.gad7(
                    id: "QR-" + tag + "-GAD7-" + suffix, patientId: patientId, sessionId: sessionId,
                    authored: time.adding(minutes: 3), total: trajectory.gad7[stage], rng: &rng)))
    }

    /// A nasal esketamine (weekly) or IM ketamine (every two weeks) maintenance course a few
    /// weeks after the induction; returns the day of its last session.
    private mutating func addMaintenance(
        route: AdministrationRoute, after lastDay: SyntheticDay, referral: ReferralRecord, prescriber: String,
        maker: SyntheticSessionMaker
    ) -> SyntheticDay {
        let nasal = route == .nasal
        let count = rng.int(2...4)
        let devices = rng.pick([2, 3])
        let first = weekday(lastDay.adding(rng.int(14...21)))
        let days = (0..<count).map { weekday(first.adding($0 * (nasal ? 7 : 14))) }
        let order = TreatmentCourseRecord.Order(
            drug: nasal ? .esketamine : .ketamine, route: route,
            dose: nasal ? RecordQuantity(value: FHIRDecimal(devices * 28), unit: .mg) : Self.quantity(50, .mgPerKg),
            maxDose: nasal ? RecordQuantity(value: FHIRDecimal(84), unit: .mg) : Self.quantity(100, .mgPerKg),
            seriesCount: count,
            frequency: nasal ? .init(count: 1, per: .wk) : .init(count: 2, per: .mo))
        let course = TreatmentCourseRecord(
            id: "COURSE-" + tag + (nasal ? "-NASAL" : "-IM"), patientId: patientId, referralId: referral.id,
            prescriberId: prescriber, phase: .maintenance, status: .completed, indications: [referral.reasons[0]],
            start: days[0].date, end: days[days.count - 1].date, order: order)
        records.append(.treatmentCourse(course))
        for (i, day) in days.enumerated() {
            let id = "SESS-" + tag + (nasal ? "-N" : "-M") + SyntheticDay.pad(i + 1, 2)
            let start = SyntheticTime(day, hour: rng.pick([9, 10]))
            let session =
                nasal
                ? maker.nasal(id: id, courseId: course.id, start: start, devices: devices, rng: &rng)
                : maker.intramuscular(id: id, courseId: course.id, start: start, rng: &rng)
            records.append(.infusionSession(session))
            records.append(
                .questionnaireResponse(
                    SyntheticQuestionnaires.dissociation(
                        id: "QR-" + tag + "-NRS" + (nasal ? "-N" : "-M") + SyntheticDay.pad(i + 1, 2),
                        patientId: patientId, sessionId: id, authored: start.adding(minutes: 100),
                        score: rng.int(1...6))))
        }
        return days[days.count - 1]
    }

    /// The day itself, or the Monday after a weekend day.
    func weekday(_ day: SyntheticDay) -> SyntheticDay {
        switch day.weekday {
        case 6: day.adding(2)
        case 0: day.adding(1)
        default: day
        }
    }

    /// A quantity from hundredths of its unit (`50` -> `0.50`).
    static func quantity(_ hundredths: Int, _ unit: RecordUnit) -> RecordQuantity {
        RecordQuantity(value: SyntheticDecimal.make(hundredths, scale: 2), unit: unit)
    }
}
