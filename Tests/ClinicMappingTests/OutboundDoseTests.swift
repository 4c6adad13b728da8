import ClinicMapping
import ClinicRecords
import FHIRGateTesting
import FHIRModel
import Testing

@Suite struct OutboundDoseTests {
    static func d(_ s: String) throws -> FHIRDecimal { try #require(FHIRDecimal(s)) }
    static func t(_ s: String) throws -> FHIRDateTime { try #require(FHIRDateTime(s)) }

    static func segment(
        minutes: Int, mgkgh: String? = nil, mgh: String? = nil, mlh: String? = nil, dose: String? = nil
    ) throws -> InfusionSessionRecord.Segment {
        InfusionSessionRecord.Segment(
            start: try t("2026-03-10T10:00:00-04:00"),
            end: try t("2026-03-10T10:\(minutes < 10 ? "0" : "")\(minutes):00-04:00"),
            rateMgPerKgPerHour: try mgkgh.map(d), rateMgPerHour: try mgh.map(d), pumpRateMlPerHour: try mlh.map(d),
            doseMg: try dose.map(d))
    }

    @Test func mgPerKgPerHourTimesWeightGivesMgPerHourAndTheDose() throws {
        let s = try Self.segment(minutes: 20, mgkgh: "0.75")
        let out = DoseCalculator.segment(s, weightKg: try Self.d("70.0"), bag: nil)
        #expect(out.mgPerHour?.lexeme == "52.5")
        #expect(out.computedDoseMg?.lexeme == "17.5")
        #expect(out.doseMg?.lexeme == "17.5")
        #expect(!out.doseMismatch && !out.rateMismatch)
    }

    @Test func aRecordedDoseWithinTheToleranceIsKeptExactly() throws {
        let s = try Self.segment(minutes: 20, mgkgh: "0.5", mgh: "35", mlh: "70", dose: "11.7")
        let out = DoseCalculator.segment(s, weightKg: try Self.d("70"), bag: (try Self.d("50"), try Self.d("100")))
        #expect(out.computedDoseMg?.lexeme == "11.67")
        #expect(out.doseMg?.lexeme == "11.7")
        #expect(!out.doseMismatch && !out.rateMismatch)
    }

    @Test func aRecordedDoseBeyondTheToleranceIsAMismatch() throws {
        let s = try Self.segment(minutes: 20, mgh: "35", dose: "15")
        let out = DoseCalculator.segment(s, weightKg: nil, bag: nil)
        #expect(out.doseMismatch)
        #expect(out.doseMg?.lexeme == "15")
    }

    @Test func disagreeingRatesAreAMismatch() throws {
        let s = try Self.segment(minutes: 20, mgkgh: "0.5", mgh: "40")
        #expect(DoseCalculator.segment(s, weightKg: try Self.d("70"), bag: nil).rateMismatch)
    }

    @Test func thePumpRateAndTheBagGiveMgPerHour() throws {
        let s = try Self.segment(minutes: 30, mlh: "70")
        let out = DoseCalculator.segment(s, weightKg: nil, bag: (try Self.d("50"), try Self.d("100")))
        #expect(out.mgPerHour?.lexeme == "35")
        #expect(out.doseMg?.lexeme == "17.5")
    }

    @Test func poundsAndMgPerKgBoluses() throws {
        let kg = DoseCalculator.weightKg(RecordQuantity(value: try Self.d("154"), unit: .pound))
        #expect(kg?.lexeme == "69.85")
        let bolus = DoseCalculator.bolusMg(
            RecordQuantity(value: try Self.d("0.1"), unit: .mgPerKg), weightKg: try Self.d("70.0"))
        #expect(bolus?.lexeme == "7")
    }

    @Test(.enabled(if: TestSupport.hasCorePackage)) func theSegmentsOfTheTranslatedSession() throws {
        let t = try OutboundFixtures.translate(["sud-patient.json"])
        let first = try #require(t.resource("MedicationAdministration", "SESS-2026-03-10/segment-1")).resource
        #expect(OutboundFixtures.values(first, "dosage.dose.value") == ["11.7"])
        #expect(OutboundFixtures.values(first, "dosage.rate.numerator.value") == ["35"])
        #expect(OutboundFixtures.values(first, "dosage.extension.value.value") == ["0.5", "70"])
        let second = try #require(t.resource("MedicationAdministration", "SESS-2026-03-10/segment-2")).resource
        #expect(OutboundFixtures.values(second, "dosage.dose.value") == ["17.5"])
        #expect(OutboundFixtures.values(second, "dosage.rate.numerator.value") == ["52.5"])
        let procedure = try #require(t.resource("Procedure", "SESS-2026-03-10"))
        #expect(OutboundFixtures.values(second, "partOf.reference") == [procedure.reference])
        let bolus = try #require(t.resource("MedicationAdministration", "SESS-2026-03-10/bolus-1")).resource
        #expect(OutboundFixtures.values(bolus, "dosage.dose.value") == ["7"])
        #expect(bolus.child(named: "effective")?.typeName == "dateTime")
        #expect(
            !t.issues.contains { $0.code == MappingIssueCode.doseMismatch || $0.code == MappingIssueCode.rateMismatch })
        // The intra-infusion BP (152/94) is high and part of the segment running at 10:25.
        let bp = try #require(t.resource("Observation", "SESS-2026-03-10/vitals-2/bp")).resource
        #expect(OutboundFixtures.values(bp, "interpretation.coding.code") == ["H"])
        #expect(
            OutboundFixtures.values(bp, "partOf.reference") == [
                try #require(t.resource("MedicationAdministration", "SESS-2026-03-10/segment-2")).reference
            ])
        let pre = try #require(t.resource("Observation", "SESS-2026-03-10/vitals-1/bp")).resource
        #expect(OutboundFixtures.values(pre, "interpretation.coding.code").isEmpty)
    }
}
