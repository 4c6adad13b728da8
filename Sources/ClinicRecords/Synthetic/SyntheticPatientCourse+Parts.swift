import FHIRModel

/// The patient, referral, consents, therapy sessions and summary letter of a synthetic course.
extension SyntheticPatientCourse {
    mutating func makePatient(referrer: SyntheticDirectory.Referrer) -> PatientRecord {
        let female = rng.chance(55)
        let name = SyntheticDirectory.personName(&rng, female: female)
        let birthYear = windowStart.civil.year - rng.int(19...75)
        let birthDay = SyntheticDay(year: birthYear, month: rng.int(1...12), day: rng.int(1...28))
        let city = rng.pick(SyntheticVocabulary.cities)
        let area = rng.pick(SyntheticVocabulary.areaCodes)
        let email = (name.given.first ?? "patient").lowercased() + "." + name.family.lowercased() + "@example.org"
        let escortName = PersonName(
            family: rng.chance(60) ? name.family : rng.pick(SyntheticVocabulary.familyNames),
            given: [rng.pick(SyntheticVocabulary.givenNeutral + SyntheticVocabulary.givenMale)])
        let relationships: [PatientRecord.Escort.Relationship] = [
            .spouse, .domesticPartner, .parent, .sibling, .friend, .caregiver,
        ]
        let races: [PatientRecord.Race] = [
            .white, .white, .blackOrAfricanAmerican, .asian, .americanIndianOrAlaskaNative, .askedButDeclined,
        ]
        let hispanic = rng.chance(12)
        return PatientRecord(
            id: patientId, name: name, birthDate: birthDay.date,
            gender: rng.chance(3) ? .other : (female ? .female : .male),
            address: PostalAddress(
                lines: [String(rng.int(10...9_999)) + " " + rng.pick(SyntheticVocabulary.streets)], city: city.city,
                state: "NC", postalCode: city.zip + SyntheticDay.pad(rng.int(0...99), 2)),
            telecom: [
                ContactPoint(system: .phone, value: SyntheticDirectory.phone(&rng, area: area), use: .mobile),
                ContactPoint(system: .email, value: email),
            ],
            referrerMrn: .init(
                value: "E" + String(rng.int(1_000_000...9_999_999)), organizationId: referrer.organizationId),
            escort: .init(
                name: escortName, relationship: rng.pick(relationships),
                phone: SyntheticDirectory.phone(&rng, area: area)),
            race: [rng.pick(races)], ethnicity: hispanic ? .hispanicOrLatino : .notHispanicOrLatino,
            birthSex: female ? .female : .male, preferredLanguage: hispanic && rng.chance(40) ? "es-US" : "en")
    }

    mutating func makeReferral(referrer: SyntheticDirectory.Referrer, on day: SyntheticDay) -> ReferralRecord {
        var reasons = [rng.pick(SyntheticVocabulary.primaryReasons)]
        if rng.chance(35) { reasons.append(rng.pick(SyntheticVocabulary.secondaryReasons)) }
        if features.substanceUse { reasons.append(rng.pick(SyntheticVocabulary.substanceUseReasons)) }
        var medications: [String] = []
        for _ in 0..<rng.int(1...3) {
            let m = rng.pick(SyntheticVocabulary.medications)
            if !medications.contains(m) { medications.append(m) }
        }
        return ReferralRecord(
            id: "REF-" + tag, placerId: "PLC-" + String(rng.int(100_000...999_999)), patientId: patientId,
            practitionerId: referrer.practitionerId, organizationId: referrer.organizationId, date: day.date,
            intent: rng.chance(80) ? .order : .proposal, status: .accepted,
            reasons: reasons.map { ReasonCode(icd10: $0.code, text: $0.text) },
            notes: rng.pick(SyntheticVocabulary.referralNotes), currentMedications: medications,
            failedTrialsCount: rng.int(2...6))
    }

    /// Consent to treatment and a HIPAA disclosure authorization for the referrer at intake; a
    /// 42 CFR Part 2 consent when the patient has an SUD diagnosis and gave one.
    mutating func addConsents(referrer: SyntheticDirectory.Referrer, on day: SyntheticDay, referral: ReferralRecord) {
        let signed = SyntheticTime(day, hour: 12, minute: rng.int(0...20))
        // Valid for a year, but never past the window (every date stays inside it).
        let lastDay = windowStart.adding(SyntheticClinicGenerator.windowLength - 1)
        let period = DatePeriod(start: day.date, end: min(day.adding(365), lastDay).date)
        let recipients: [ConsentRecord.Recipient] = [
            .practitioner(referrer.practitionerId), .organization(referrer.organizationId),
        ]
        records.append(
            .consent(
                ConsentRecord(
                    id: "CONS-" + tag + "-TX", patientId: patientId, category: .treatment, status: .active,
                    dateTime: signed.dateTime, period: period,
                    signedDocumentTitle: "Informed consent to ketamine treatment")))
        records.append(
            .consent(
                ConsentRecord(
                    id: "CONS-" + tag + "-HIPAA", patientId: patientId, category: .hipaaDisclosure, status: .active,
                    dateTime: signed.adding(minutes: 5).dateTime, recipients: recipients, purposes: [.treat],
                    sensitivityLabels: [.psychiatry, .mentalHealth], period: period,
                    signedDocumentTitle: "Authorization to disclose to the referring psychiatrist")))
        guard features.substanceUse && features.part2Consent else { return }
        var labels: [ConsentRecord.SensitivityLabel] = [.psychiatry, .substanceUseDisorder]
        if referral.reasons.contains(where: { $0.icd10.hasPrefix("F10") }) { labels.append(.alcoholUseDisorder) }
        if referral.reasons.contains(where: { $0.icd10.hasPrefix("F11") }) { labels.append(.opioidUseDisorder) }
        records.append(
            .consent(
                ConsentRecord(
                    id: "CONS-" + tag + "-P2", patientId: patientId, category: .part2Disclosure, status: .active,
                    dateTime: signed.adding(minutes: 8).dateTime, recipients: recipients,
                    purposes: [.treat, .healthcarePayment, .healthcareOperations], sensitivityLabels: labels,
                    period: period,
                    signedDocumentTitle: "Authorization to disclose (incl. 42 CFR Part 2)")))
    }

    /// A 50-minute preparation or integration session; returns its id.
    @discardableResult
    mutating func addTherapy(
        _ suffix: String, _ type: TherapySessionRecord.SessionType, _ courseId: String, _ therapist: String,
        _ start: SyntheticTime, note: String, psychotherapy: Bool = false
    ) -> String {
        let id = "THER-" + tag + "-" + suffix
        var notes = [TherapySessionRecord.Note(kind: .progress, text: note)]
        if psychotherapy {
            notes.append(.init(kind: .psychotherapy, text: rng.pick(SyntheticVocabulary.psychotherapyNotes)))
        }
        records.append(
            .therapySession(
                TherapySessionRecord(
                    id: id, sessionType: type, patientId: patientId, courseId: courseId, therapistId: therapist,
                    start: start.dateTime, end: start.adding(minutes: 50).dateTime,
                    mode: type == .preparation || rng.chance(40) ? .inPerson : .telehealth, status: .completed,
                    notes: notes)))
        return id
    }

    /// The discharge summary to the referring psychiatrist, from what the records hold.
    mutating func letter(
        course: TreatmentCourseRecord, referral: ReferralRecord, prescriber: String, days: [SyntheticDay],
        on day: SyntheticDay, trajectory: Trajectory
    ) -> SummaryLetterRecord {
        let infusions = records.compactMap { record -> InfusionSessionRecord? in
            if case .infusionSession(let s) = record, s.courseId == course.id { return s }
            return nil
        }
        let rates = infusions.flatMap { $0.administrations.compactMap(\.rateMgPerKgPerHour) }
        let low = rates.min().map(\.lexeme) ?? "0.50"
        let high = rates.max().map(\.lexeme) ?? "0.50"
        let effects = infusions.reduce(0) { $0 + $1.sideEffects.count }
        let elevated = infusions.contains { s in
            s.vitals.contains { ($0.systolicMmHg ?? FHIRDecimal(0)) >= FHIRDecimal(150) }
        }
        var text =
            "Synthetic record. \(infusions.count) IV ketamine infusions (\(low)-\(high) mg/kg/h) from "
            + days[0].lexeme + " to " + days[days.count - 1].lexeme + ". PHQ-9 \(trajectory.phq9[0]) -> "
            + "\(trajectory.phq9[2]); GAD-7 \(trajectory.gad7[0]) -> \(trajectory.gad7[2])."
        text += effects == 0 ? " No side effects." : " \(effects) transient side effect(s), managed in clinic."
        if elevated { text += " Blood pressure rose above 150 mmHg systolic during at least one infusion." }
        if referral.impliesSubstanceUseDisorder {
            text += " Contains substance use disorder information protected by 42 CFR Part 2."
        }
        let id = "LTR-" + tag
        return SummaryLetterRecord(
            id: id, patientId: patientId, courseId: course.id, recipientId: referral.practitionerId,
            authorId: prescriber, date: day.date, documentType: .dischargeSummary,
            title: "Ketamine induction series: summary", text: text,
            attachment: rng.chance(50) ? .path("letters/" + id + ".pdf") : nil)
    }
}
