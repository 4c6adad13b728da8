import ClinicRecords
import FHIRModel

/// The records of one translation by kind and id, and what follows from them (which courses
/// reveal a substance use disorder).
struct RecordIndex {
    var patients: [String: PatientRecord] = [:]
    var practitioners: [String: PractitionerRecord] = [:]
    var organizations: [String: OrganizationRecord] = [:]
    var referrals: [String: ReferralRecord] = [:]
    var consentsByPatient: [String: [ConsentRecord]] = [:]
    var courses: [String: TreatmentCourseRecord] = [:]
    var infusionSessions: [String: InfusionSessionRecord] = [:]
    var therapySessions: [String: TherapySessionRecord] = [:]
    var summaryLetters: [SummaryLetterRecord] = []

    init(_ records: [LocatedRecord]) {
        for located in records {
            switch located.record {
            case .patient(let r): patients[r.id] = r
            case .practitioner(let r): practitioners[r.id] = r
            case .organization(let r): organizations[r.id] = r
            case .referral(let r): referrals[r.id] = r
            case .consent(let r): consentsByPatient[r.patientId, default: []].append(r)
            case .treatmentCourse(let r): courses[r.id] = r
            case .infusionSession(let r): infusionSessions[r.id] = r
            case .therapySession(let r): therapySessions[r.id] = r
            case .summaryLetter(let r): summaryLetters.append(r)
            case .questionnaireResponse: break
            }
        }
    }

    /// A referral reveals SUD when a reason is ICD-10-CM F10-F19.
    func referralRevealsSUD(_ id: String?) -> Bool {
        guard let id, let referral = referrals[id] else { return false }
        return referral.impliesSubstanceUseDisorder
    }

    /// A course reveals SUD when an indication is F10-F19 or it answers an SUD referral (the
    /// referral and everything derived from it is Part 2 material). A course not in the batch
    /// cannot be judged and counts as not revealing.
    func courseRevealsSUD(_ id: String?) -> Bool {
        guard let id, let course = courses[id] else { return false }
        return course.indications.contains { $0.isSubstanceUseDisorder } || referralRevealsSUD(course.referralId)
    }

    /// The course a session (infusion or therapy) belongs to.
    func courseId(ofSession id: String?) -> String? {
        guard let id else { return nil }
        return infusionSessions[id]?.courseId ?? therapySessions[id]?.courseId
    }

    /// Whether a consent reveals SUD (a Part 2 consent, or SUD labels among those it covers).
    static func consentRevealsSUD(_ consent: ConsentRecord) -> Bool {
        consent.category == .part2Disclosure
            || consent.sensitivityLabels.contains {
                $0 == .substanceUseDisorder || $0 == .alcoholUseDisorder || $0 == .opioidUseDisorder
            }
    }
}
