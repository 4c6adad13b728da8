import ClinicMapping
import ClinicRecords
import FHIRGate
import FHIRGateTesting
import FHIRModel
import Testing

/// Stopped and not-done sessions, pounds, pump-only rates, mismatches, incomplete instruments,
/// IM and oral sessions, a no-show telehealth session, a missing PDF; and every record alone.
@Suite(.enabled(if: OutboundFixtures.context != nil, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
struct OutboundEdgeCaseTests {
    static let translation: ClinicTranslation? = try? OutboundFixtures.translate(["edge-cases.json"])

    @Test func everyResourceIsValid() throws {
        let t = try #require(Self.translation)
        var failures: [String] = []
        for r in t.allResources {
            var errors = try OutboundFixtures.errors(r.resource)
            if OutboundFixtures.usCoreFolder != nil, let profile = USCoreProfile.byType[r.resourceType] {
                errors += try OutboundFixtures.errors(r.resource, profiles: [profile])
            }
            if !errors.isEmpty {
                failures.append("\(r.resourceType) \(r.businessId):\n\(OutboundFixtures.describe(errors))")
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    @Test func theFindingsAreReportedWithTheirPaths() throws {
        let t = try #require(Self.translation)
        let found = Set(t.issues.map { "\($0.code.rawValue) \($0.path ?? "")" })
        let expected: Set<String> = [
            "MAP-DOSE-MISMATCH infusionSession[SESS-2026-05-04].administrations[1].dose",
            "MAP-RATE-MISMATCH infusionSession[SESS-2026-05-04].administrations[2].rates",
            "MAP-SCORE-INCOMPLETE questionnaireResponse[QR-CADSS-2026-05-04].answers",
            "MAP-SCORE-INCOMPLETE questionnaireResponse[QR-PHQ9-2026-05-04].answers",
            "MAP-SCORE-MISMATCH questionnaireResponse[QR-PHQ9-2026-05-04].suppliedTotal",
            "MAP-NOT-TRANSLATED questionnaireResponse[QR-NRS-2026-05-04].sessionId",
            "MAP-NOT-TRANSLATED summaryLetter[LTR-2026-0077].pdf.path",
        ]
        #expect(found == expected)
        #expect(!t.issues.contains { $0.severity <= .error })
    }

    @Test func dosesRatesAndStatuses() throws {
        let t = try #require(Self.translation)
        func ma(_ id: String) throws -> ElementNode {
            try #require(t.resource("MedicationAdministration", id)).resource
        }
        let first = try ma("SESS-2026-05-04/segment-1")  // 40 mL/h of a 1 mg/mL bag for 15 min
        #expect(OutboundFixtures.values(first, "dosage.rate.numerator.value") == ["40"])
        #expect(OutboundFixtures.values(first, "dosage.dose.value") == ["10"])
        let second = try ma("SESS-2026-05-04/segment-2")  // the recorded dose is kept
        #expect(OutboundFixtures.values(second, "dosage.dose.value") == ["20"])
        let third = try ma("SESS-2026-05-04/segment-3")
        #expect(third.childValue("status") == "stopped")
        #expect(OutboundFixtures.values(third, "statusReason.text") == ["Intolerable nausea"])
        #expect(OutboundFixtures.values(third, "dosage.text") == ["0.5 mg/kg/h x 15 min (79.83 kg)"])
        let bolus = try ma("SESS-2026-05-11-IM/bolus-1")  // 0.75 mg/kg x 80 kg
        #expect(OutboundFixtures.values(bolus, "dosage.dose.value") == ["60"])
        #expect(OutboundFixtures.values(bolus, "dosage.route.coding.code") == ["78421000"])
        let oral = try #require(t.resource("Procedure", "SESS-2026-05-18-PO")).resource
        #expect(oral.childValue("status") == "not-done")
        #expect(OutboundFixtures.values(oral, "code.text") == ["Oral ketamine session"])
        #expect(!t.allResources.contains { $0.businessId.hasPrefix("SESS-2026-05-18-PO/") })
        let weight = try #require(t.resource("Observation", "SESS-2026-05-04/body-weight")).resource
        #expect(OutboundFixtures.values(weight, "value.code") == ["[lb_av]"])
    }

    @Test func vitalSignInterpretations() throws {
        let t = try #require(Self.translation)
        func flag(_ id: String) throws -> [String] {
            OutboundFixtures.values(try #require(t.resource("Observation", id)).resource, "interpretation.coding.code")
        }
        #expect(try flag("SESS-2026-05-04/vitals-1/heart-rate") == ["H"])
        #expect(try flag("SESS-2026-05-04/vitals-1/spo2") == ["L"])
        #expect(try flag("SESS-2026-05-04/vitals-1/respiratory-rate") == ["L"])
        #expect(try flag("SESS-2026-05-04/vitals-1/temperature") == ["H"])
        #expect(try flag("SESS-2026-05-04/vitals-2/bp") == ["L"])
        // After the last segment ended, an intra reading is part of the session Procedure.
        let bp = try #require(t.resource("Observation", "SESS-2026-05-04/vitals-2/bp")).resource
        #expect(
            OutboundFixtures.values(bp, "partOf.reference") == [
                ResourceIdentity.reference("Procedure", "SESS-2026-05-04")
            ])
    }

    @Test func incompleteInstruments() throws {
        let t = try #require(Self.translation)
        #expect(t.resource("Observation", "QR-CADSS-2026-05-04") == nil)
        #expect(t.resource("Observation", "QR-NRS-2026-05-04") == nil)
        let nrs = try #require(t.resource("Observation", "QR-NRS-2026-05-04-B")).resource
        #expect(
            OutboundFixtures.values(nrs, "partOf.reference") == [
                ResourceIdentity.reference("MedicationAdministration", "SESS-2026-05-04/segment-2")
            ])
        let qr = try #require(t.resource("QuestionnaireResponse", "QR-PHQ9-2026-05-04")).resource
        #expect(qr.childValue("status") == "in-progress")
        let total = try #require(t.resource("Observation", "QR-PHQ9-2026-05-04/total")).resource
        #expect(total.child(named: "value") == nil)
        #expect(OutboundFixtures.values(total, "dataAbsentReason.coding.code") == ["unknown"])
    }

    /// Any record on its own (references to records not in the batch) translates without a
    /// translator error, and what it gives is valid.
    @Test func everyRecordAloneTranslatesToValidResources() throws {
        let model = try TestSupport.coreModel()
        let translator = ClinicTranslator(model: model, options: try OutboundFixtures.options())
        var failures: [String] = []
        for file in ["sud-patient.json", "plain-patient.json", "edge-cases.json"] {
            for record in try OutboundFixtures.records(file) {
                let t = translator.translate([record])
                if t.issues.contains(where: { $0.code == MappingIssueCode.internalError }) {
                    failures.append("\(record.record.id): internal error")
                }
                for r in t.allResources {
                    let errors = try OutboundFixtures.errors(r.resource)
                    if !errors.isEmpty {
                        failures.append(
                            "\(record.record.id) -> \(r.resourceType):\n\(OutboundFixtures.describe(errors))")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }
}
