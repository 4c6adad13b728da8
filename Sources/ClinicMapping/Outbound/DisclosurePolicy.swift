import ClinicRecords
import FHIRModel

/// Decides whether SUD-labelled content of a patient may go to the recipient (domain section
/// 6.3): only with a consent that is
/// - `active`, of category `part2-disclosure`, with `SUD` among its sensitivity labels;
/// - for purpose `TREAT` (the purpose of this disclosure);
/// - in force on the translation day: `period.start <= day <= period.end` (end inclusive, open
///   when absent; without a period, from the day it was signed);
/// - naming the recipient: the same practitioner or organization, or, for a practitioner
///   recipient, the organization the practitioner record belongs to.
///
/// Psychotherapy notes are never disclosed, whatever the consents say (not decided here).
struct DisclosurePolicy {
    let index: RecordIndex
    let recipient: DisclosureRecipient?
    let day: FHIRDate?

    /// nil when SUD content of the patient may go out, else why not.
    func sudBlockReason(patientId: String) -> WithheldItem.Reason? {
        guard let recipient else { return .noRecipient }
        let consents = index.consentsByPatient[patientId] ?? []
        return consents.contains { covers($0, recipient) } ? nil : .noCoveringPart2Consent
    }

    func covers(_ consent: ConsentRecord, _ recipient: DisclosureRecipient) -> Bool {
        guard consent.status == .active, consent.coversSubstanceUse, consent.purposes.contains(.treat),
            let day, inForce(consent, on: day)
        else { return false }
        return consent.recipients.contains { names($0, recipient) }
    }

    private func inForce(_ consent: ConsentRecord, on day: FHIRDate) -> Bool {
        let start = consent.period?.start ?? FHIRDate(String(consent.dateTime.lexeme.prefix(10)))
        guard let start, let afterStart = day.compare(start), afterStart != .less else { return false }
        guard let end = consent.period?.end else { return true }
        guard let beforeEnd = day.compare(end) else { return false }
        return beforeEnd != .greater
    }

    private func names(_ listed: ConsentRecord.Recipient, _ recipient: DisclosureRecipient) -> Bool {
        switch (listed, recipient) {
        case (.practitioner(let a), .practitioner(let b)): return a == b
        case (.organization(let a), .organization(let b)): return a == b
        case (.organization(let a), .practitioner(let b)): return index.practitioners[b]?.organizationId == a
        case (.practitioner, .organization): return false
        }
    }
}
