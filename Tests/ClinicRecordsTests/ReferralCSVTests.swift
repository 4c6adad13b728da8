import ClinicRecords
import FHIRModel
import Testing

@Suite struct ReferralCSVTests {
    func importCSV(_ text: String, fileName: String = "referrals.csv") -> ClinicRecordReadResult {
        ReferralCSVImporter().read(Array(text.utf8), fileName: fileName)
    }

    static let header =
        "referral_id,referral_date,intent,patient_mrn,patient_family,patient_given,birth_date,gender,"
        + "referrer_npi,referrer_family,referrer_org_name,referrer_org_npi,reason_icd10,reason_text,notes"

    @Test func rowsBecomeFourRecordsEach() throws {
        let result = ReferralCSVImporter().read(fileAtPath: Fixtures.path("csv/referrals.csv"))
        #expect(result.issues.isEmpty, "\(result.summary)")
        // Two rows: two patients and referrals, one shared practitioner and organization.
        let kinds = result.records.map(\.record.kind)
        #expect(kinds.filter { $0 == .patient }.count == 2)
        #expect(kinds.filter { $0 == .referral }.count == 2)
        #expect(kinds.filter { $0 == .practitioner }.count == 1)
        #expect(kinds.filter { $0 == .organization }.count == 1)
        let referrals = result.records.compactMap { r -> ReferralRecord? in
            if case .referral(let x) = r.record { return x }
            return nil
        }
        let first = try #require(referrals.first)
        #expect(
            first.reasons == [
                ReasonCode(icd10: "F33.2", text: "Recurrent MDD, severe"),
                ReasonCode(icd10: "F10.20", text: "Alcohol dependence"),
            ])
        #expect(first.notes == "Patient says \"it's urgent\".\nSecond line of the note.")
        #expect(first.currentMedications == ["sertraline 200 mg", "bupropion 300 mg"])
        #expect(first.failedTrialsCount == 3)
        #expect(first.practitionerId == "npi-1234567893")
        #expect(first.organizationId == "npi-1456789019")
        #expect(first.status == .requested)
        #expect(first.impliesSubstanceUseDisorder)
        // One code takes the whole text, semicolons included.
        #expect(referrals.last?.reasons == [ReasonCode(icd10: "F41.1", text: "Generalized anxiety; worse at night")])
        #expect(referrals.last?.intent == .proposal)
        let patients = result.records.compactMap { r -> PatientRecord? in
            if case .patient(let x) = r.record { return x }
            return nil
        }
        #expect(patients.first?.address?.lines == ["100 Example Street, Apt 2"])
        #expect(patients.first?.referrerMrn == .init(value: "E123", organizationId: "npi-1456789019"))
        #expect(patients.last?.name.family == "O'Sample")
        // The second row starts on line 4: the quoted note of row 1 spans lines 2-3.
        #expect(result.records.last?.position.line == 4)
        // The CSV records pass the batch checks with no error.
        #expect(!ClinicRecordBatchChecker.check(result.records).contains { $0.severity <= .error })
    }

    @Test func badRowsAreReportedByLineAndColumnAndTheOthersKept() throws {
        let result = ReferralCSVImporter().read(fileAtPath: Fixtures.path("csv/bad-rows.csv"))
        let errors = result.issues.filter { $0.severity <= .error }
        #expect(
            errors.contains { $0.path == "referral_date" && $0.position?.line == 2 && $0.code == .recordInvalidValue })
        #expect(errors.contains { $0.path == "referrer_npi" && $0.position?.line == 2 })
        #expect(errors.contains { $0.code == .csvSyntax && $0.position?.line == 4 })
        #expect(errors.count == 3, "\(result.summary)")
        #expect(errors.allSatisfy { $0.file == Fixtures.path("csv/bad-rows.csv") })
        // Row REF-4 is kept whole; nothing of REF-3 is.
        let ids = Set(result.records.map(\.record.id))
        #expect(ids == ["MRN-4", "npi-1234567893", "npi-1456789019", "REF-4"])
        // The column of the date cell: the second field.
        let date = try #require(errors.first { $0.path == "referral_date" })
        #expect(date.position?.column == 7)
        #expect(!date.message.contains("2026-13-01"))
    }

    @Test func quotingEdgeCases() throws {
        let row =
            #"R1,2026-02-20,order,M1,"Smith, Jr.","Ann ""Annie""",1980-01-01,female,1234567893,Ex,"Org, Inc.",1456789019,"F33.2","#
            + "\"multi\r\nline\",\"\"\n"
        let result = importCSV(Self.header + "\r\n" + row)
        #expect(result.issues.isEmpty, "\(result.summary)")
        let patient = result.records.compactMap { r -> PatientRecord? in
            if case .patient(let x) = r.record { return x }
            return nil
        }.first
        #expect(patient?.name == PersonName(family: "Smith, Jr.", given: ["Ann \"Annie\""]))
        let referral = result.records.compactMap { r -> ReferralRecord? in
            if case .referral(let x) = r.record { return x }
            return nil
        }.first
        #expect(referral?.reasons.first?.text == "multi\r\nline")
        // An empty quoted field is an empty cell: no notes.
        #expect(referral?.notes == nil)
    }

    @Test func byteOrderMarkAndHeaderCaseAreTolerated() {
        let text =
            "\u{FEFF}" + Self.header.uppercased() + "\n"
            + "R1,2026-02-20,order,M1,Doe,Jane,1980-01-01,female,1234567893,Ex,Org,1456789019,F33.2,,\n\n"
        let result = importCSV(text)
        #expect(result.issues.isEmpty, "\(result.summary)")
        #expect(result.records.count == 4)
    }

    @Test func headerProblems() {
        let missing = importCSV("referral_id,referral_date\nR1,2026-01-01\n")
        #expect(missing.records.isEmpty)
        #expect(missing.issues.contains { $0.code == .csvHeader && $0.path == "patient_mrn" })
        #expect(missing.issues.filter { $0.code == .csvHeader }.count == ReferralCSVColumn.required.count - 2)
        let unknown = importCSV(Self.header + ",shoe_size,notes\n")
        #expect(
            unknown.issues.contains { $0.code == .csvHeader && $0.path == "shoe_size" && $0.position?.column == 188 })
        #expect(unknown.issues.contains { $0.code == .csvHeader && $0.path == "notes" && $0.message.contains("twice") })
        let empty = importCSV("")
        #expect(empty.issues.contains { $0.code == .csvHeader })
    }

    @Test func fieldCountAndStrayQuotes() {
        let text =
            Self.header + "\n"
            + "R1,2026-02-20,order,M1,Doe,Jane,1980-01-01,female,1234567893,Ex,Org,1456789019,F33.2\n"
            + "R2,2026-02-20,order,M2,Do\"e,Jane,1980-01-01,female,1234567893,Ex,Org,1456789019,F33.2,,\n"
            + "R3,2026-02-20,order,M3,\"Doe\"x,Jane,1980-01-01,female,1234567893,Ex,Org,1456789019,F33.2,,\n"
            + "R4,2026-02-20,order,M4,Doe,Jane,1980-01-01,female,1234567893,Ex,Org,1456789019,F33.2;F41.1,a;b;c,\n"
            + "R5,2026-02-20,order,M5,Doe,Jane,1980-01-01,female,1234567893,Ex,Org,1456789019,F33.2,,\n"
        let result = importCSV(text)
        let errors = result.issues.filter { $0.severity <= .error }
        #expect(errors.contains { $0.code == .csvFieldCount && $0.position?.line == 2 })
        #expect(errors.contains { $0.code == .csvSyntax && $0.position?.line == 3 })
        #expect(errors.contains { $0.code == .csvSyntax && $0.position?.line == 4 })
        #expect(errors.contains { $0.path == "reason_text" && $0.position?.line == 5 })
        #expect(errors.count == 4, "\(result.summary)")
        #expect(result.records.filter { $0.record.kind == .referral }.map(\.record.id) == ["R5"])
    }

    @Test func repeatedPatientWithOtherDetailsIsAWarningAndRepeatedReferralAnError() {
        let text =
            Self.header + "\n"
            + "R1,2026-02-20,order,M1,Doe,Jane,1980-01-01,female,1234567893,Ex,Org,1456789019,F33.2,,\n"
            + "R2,2026-02-21,order,M1,Doe,Janet,1980-01-01,female,1234567893,Ex,Org,1456789019,F33.2,,\n"
            + "R1,2026-02-22,order,M3,Roe,Jim,1981-01-01,male,1234567893,Ex,Org,1456789019,F33.2,,\n"
        let result = importCSV(text)
        #expect(
            result.issues.contains { $0.severity == .warning && $0.path == "patient_mrn" && $0.position?.line == 3 })
        #expect(result.issues.contains { $0.severity == .error && $0.path == "referral_id" && $0.position?.line == 4 })
        #expect(result.records.filter { $0.record.kind == .referral }.count == 2)
        for issue in result.issues {
            #expect(!issue.message.contains("Janet") && !issue.message.contains("M1"))
        }
    }
}
