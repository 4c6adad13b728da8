import FHIRGate
import FHIRGateTesting
import Testing

@Suite("fhirgate import referrals (runs the built binary)")
struct ImportCommandTests {
    static let header =
        "referral_id,referral_date,intent,patient_mrn,patient_family,birth_date,gender,referrer_npi,"
        + "referrer_family,referrer_org_name,referrer_org_npi,reason_icd10"

    static func kinds(_ lines: [JSONValue]) -> [String: Int] {
        var out: [String: Int] = [:]
        for line in lines { out[line["kind"]?.stringValue ?? "?", default: 0] += 1 }
        return out
    }

    @Test("Samples/referrals.csv imports cleanly: 3 referrals, 3 patients, 2 practitioners, 2 organizations")
    func sampleCSV() throws {
        let out = try BinaryRunner.run(["import", "referrals", ClinicSamples.root + "/referrals.csv"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let lines = out.jsonLines
        #expect(lines.count == 10)
        #expect(Self.kinds(lines) == ["patient": 3, "practitioner": 2, "organization": 2, "referral": 3])
        #expect(out.stderr.contains("referrals: 3, records: 10"), "\(out.stderr)")
        // What it writes is clinic records the strict reader accepts, and they hold together.
        let read = ClinicRecordReader().read(out.stdout, fileName: "imported.ndjson")
        #expect(read.issues.isEmpty, "\(read.issues.map(\.description))")
        #expect(ClinicRecordBatchChecker.check(read.records).isEmpty)
    }

    @Test(
        "Samples/referral-bundle.json imports cleanly as one referral (4 records)",
        .enabled(if: TestSupport.hasCorePackage))
    func sampleBundle() throws {
        let scratch = try ClinicScratch()
        defer { scratch.remove() }
        let out = try BinaryRunner.run(
            ["import", "referrals", ClinicSamples.root + "/referral-bundle.json", "-o", scratch.dir + "/r.ndjson"])
        #expect(out.status == 0, "stdout: \(out.stdoutText) stderr: \(out.stderr)")
        #expect(out.stdoutText.contains("referrals: 1, records: 4; 0 errors"), "with -o the report is on stdout")
        let read = ClinicRecordReader().read(fileAtPath: scratch.dir + "/r.ndjson")
        #expect(read.issues.isEmpty)
        #expect(read.records.map(\.record.kind) == [.organization, .practitioner, .patient, .referral])
        // The same Bundle converted to XML imports the same.
        let xml = try BinaryRunner.run(["convert", ClinicSamples.root + "/referral-bundle.json", "--to", "xml"])
        let xmlPath = try scratch.write("bundle.xml", xml.stdoutText)
        let fromXML = try BinaryRunner.run(["import", "referrals", xmlPath])
        #expect(fromXML.status == 0, "\(fromXML.stderr)")
        #expect(fromXML.stdout == (try FileBytes.read(scratch.dir + "/r.ndjson")))
    }

    @Test("a bad CSV row is reported with its line and column name; the other rows are written; exit 1")
    func badRow() throws {
        let scratch = try ClinicScratch()
        defer { scratch.remove() }
        let csv = [
            Self.header,
            "REF-1,2026-02-20,order,MRN-1,Testcase,1984-07-19,female,1234567893,Example,Practice A,1456789019,F33.2",
            "REF-2,2026-02-21,order,MRN-2,Zyxwvut,1984-13-45,female,1234567893,Example,Practice A,1456789019,F33.2",
            "REF-3,2026-02-22,order,MRN-3,Samplesdottir,1990-11-30,male,1234567893,Example,Practice A,1456789019,F32.2",
        ].joined(separator: "\r\n")
        let path = try scratch.write("referrals.csv", csv + "\r\n")
        let out = try BinaryRunner.run(["import", "referrals", path])
        #expect(out.status == 1, "stderr: \(out.stderr)")
        #expect(out.stderr.contains(path + ":3:"), "the row's line: \(out.stderr)")
        #expect(out.stderr.contains("birth_date"), "the column name: \(out.stderr)")
        #expect(!out.stderr.contains("1984-13-45") && !out.stderr.contains("Zyxwvut"), "no values in messages")
        let referrals = out.jsonLines.filter { $0["kind"] == .string("referral") }.compactMap { $0["id"]?.stringValue }
        #expect(referrals == ["REF-1", "REF-3"])

        let json = try BinaryRunner.run([
            "import", "referrals", path, "--format", "json", "-o", scratch.dir + "/o.ndjson",
        ])
        #expect(json.status == 1)
        let report = try JSONValue.parse(json.stdout)
        #expect(report["counts"]?["errors"] == .number("1"))
        let issue = try #require(report["issues"]?.arrayValue?.first)
        #expect(issue["line"] == .number("3"))
        #expect(issue["path"] == .string("birth_date"))
        #expect(issue["file"] == .string(path))
    }

    @Test("FHIR referral errors name the FHIRPath location; a missing file or bad JSON exits 2")
    func fhirErrorsAndUnreadable() throws {
        let scratch = try ClinicScratch()
        defer { scratch.remove() }
        let request =
            ##"{"resourceType":"ServiceRequest","status":"active","intent":"order","subject":{"reference":"#p"}}"##
        let bad = try scratch.write("bad.json", request)
        let out = try BinaryRunner.run(["import", "referrals", bad])
        #expect(out.status == 1 || out.status == 2, "stderr: \(out.stderr)")
        if TestSupport.hasCorePackage {
            #expect(out.status == 1)
            #expect(out.stderr.contains(bad + " error [INB-"), "\(out.stderr)")
            #expect(out.stderr.contains("ServiceRequest."), "a FHIRPath location: \(out.stderr)")
        }
        let missing = try BinaryRunner.run(["import", "referrals", scratch.dir + "/missing.csv"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing.csv"))
        let broken = try scratch.write("broken.json", "{\"resourceType\": ")
        let unreadable = try BinaryRunner.run(["import", "referrals", broken])
        #expect(unreadable.status == 2, "\(unreadable.stderr)")
        let noHeader = try scratch.write("nocolumns.csv", "referral_id,referral_date\nREF-1,2026-01-01\n")
        let headerOut = try BinaryRunner.run(["import", "referrals", noHeader])
        #expect(headerOut.status == 2, "a required column missing: \(headerOut.stderr)")
        #expect(headerOut.stderr.contains("patient_mrn"))
    }
}
