import FHIRJSON
import FHIRModel

/// Referral, consent, treatment course, questionnaire response, therapy session and summary
/// letter in their JSON form.
extension RecordJSON {
    static func referral(_ r: ReferralRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("placerId", r.placerId)
        o.add("patientId", r.patientId)
        o.add("practitionerId", r.practitionerId)
        o.add("organizationId", r.organizationId)
        o.add("date", r.date)
        o.add("intent", code: r.intent)
        o.add("status", code: r.status)
        o.add("reasons", objects: r.reasons.map(reason))
        o.add("notes", r.notes)
        o.add("currentMedications", strings: r.currentMedications)
        o.add("failedTrialsCount", r.failedTrialsCount)
    }

    static func consent(_ r: ConsentRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("patientId", r.patientId)
        o.add("category", code: r.category)
        o.add("status", code: r.status)
        o.add("dateTime", r.dateTime)
        o.add(
            "recipients",
            objects: r.recipients.map { recipient in
                switch recipient {
                case .practitioner(let id): RecordObject.make { $0.add("practitionerId", id) }
                case .organization(let id): RecordObject.make { $0.add("organizationId", id) }
                }
            })
        o.add("purposes", codes: r.purposes)
        o.add("sensitivityLabels", codes: r.sensitivityLabels)
        o.add("period", r.period.map(period))
        o.add("signedDocumentTitle", r.signedDocumentTitle)
    }

    static func treatmentCourse(_ r: TreatmentCourseRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("patientId", r.patientId)
        o.add("referralId", r.referralId)
        o.add("prescriberId", r.prescriberId)
        o.add("phase", code: r.phase)
        o.add("status", code: r.status)
        o.add("indications", objects: r.indications.map(reason))
        o.add("start", r.start)
        o.add("end", r.end)
        let order = r.order
        o.add(
            "order",
            RecordObject.make {
                $0.add("drug", code: order.drug)
                $0.add("route", code: order.route)
                $0.add("dose", quantity(order.dose))
                $0.add("rate", order.rate.map(quantity))
                $0.add("maxDose", order.maxDose.map(quantity))
                $0.add("seriesCount", order.seriesCount)
                $0.add(
                    "frequency",
                    RecordObject.make {
                        $0.add("count", order.frequency.count)
                        $0.add("per", code: order.frequency.per)
                    })
            })
    }

    static func questionnaireResponse(_ r: QuestionnaireResponseRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("instrument", code: r.instrument)
        o.add("patientId", r.patientId)
        o.add("sessionId", r.sessionId)
        o.add("authored", r.authored)
        // Always written, even when empty: `answers` is required.
        var answers = JSONObject()
        for item in r.answers {
            let value: JSONValue =
                switch item.answer {
                case .loinc(let code): .string(code)
                case .score(let score): .number(String(score))
                }
            _ = answers.append(item.itemCode, value)
        }
        o.add("answers", JSONValue.object(answers))
        o.add("suppliedTotal", r.suppliedTotal)
    }

    static func therapySession(_ r: TherapySessionRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("sessionType", code: r.sessionType)
        o.add("patientId", r.patientId)
        o.add("courseId", r.courseId)
        o.add("therapistId", r.therapistId)
        o.add("start", r.start)
        o.add("end", r.end)
        o.add("mode", code: r.mode)
        o.add("status", code: r.status)
        o.add(
            "notes",
            objects: r.notes.map { note in
                RecordObject.make {
                    $0.add("kind", code: note.kind)
                    $0.add("text", note.text)
                }
            })
    }

    static func summaryLetter(_ r: SummaryLetterRecord, into o: inout RecordObject) {
        o.add("id", r.id)
        o.add("patientId", r.patientId)
        o.add("courseId", r.courseId)
        o.add("recipientId", r.recipientId)
        o.add("authorId", r.authorId)
        o.add("date", r.date)
        o.add("documentType", code: r.documentType)
        o.add("title", r.title)
        o.add("text", r.text)
        o.add(
            "pdf",
            r.attachment.map { attachment in
                switch attachment {
                case .path(let path): RecordObject.make { $0.add("path", path) }
                case .base64(let data): RecordObject.make { $0.add("base64", data) }
                }
            })
    }
}
