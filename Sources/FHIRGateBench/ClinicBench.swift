import FHIRGate

/// `fhirgate-bench clinic`: the clinic pipeline at scale, one patient at a time (so memory stays
/// flat): synthetic records are generated, written as NDJSON, read back by the strict reader,
/// checked as a batch, translated to FHIR and every resource validated against R4 core and the
/// clinic's `Profiles/` package.
///
///     fhirgate-bench clinic [--patients N] [--seed S] [--profiles DIR] [--definitions PATH]... [--format text|json]
///
/// Each patient's batch also holds the clinic directory (practitioners, organizations), as the
/// translator needs them to resolve references; they are counted apart from the patient records.
enum ClinicBench {
    static let usage = """
        usage: fhirgate-bench clinic [--patients N] [--seed S] [--profiles DIR] [--definitions PATH]... [--format text|json] [--package-cache DIR]

        Generates N synthetic patients' clinic records (default 1000, seed 1), and for each patient writes them as
        NDJSON, reads them back strictly, translates them to FHIR R4 and validates every resource (R4 core plus
        the Profiles/ package, default ./Profiles, and --definitions such as the US Core 3.1.0 package folder,
        whose extensions the Patient carries). Prints records/s, resources/s and peak RSS; run it for two
        sizes to see that memory does not grow with N.
        """

    struct Options {
        var patients = 1000
        var seed: UInt64 = 1
        var profiles = "Profiles"
        var definitions: [String] = []
        var verbose = false
        var json = false
        var packageCache: String?
    }

    static func parse(_ arguments: [String]) throws(BenchOptions.UsageError) -> Options? {
        var options = Options()
        var args = BenchArguments(arguments)
        while let arg = args.next() {
            switch arg {
            case "-h", "--help": return nil
            case "--patients":
                guard let n = Int(try args.value(for: arg)), n > 0, n <= 10_000_000 else {
                    throw .init(description: "--patients needs a count from 1 to 10000000")
                }
                options.patients = n
            case "--seed":
                guard let s = UInt64(try args.value(for: arg)) else {
                    throw .init(description: "--seed needs a number")
                }
                options.seed = s
            case "--profiles": options.profiles = try args.value(for: arg)
            case "--definitions": options.definitions.append(try args.value(for: arg))
            case "--verbose": options.verbose = true
            case "--package-cache": options.packageCache = try args.value(for: arg)
            case "--format":
                let text = try args.value(for: arg)
                guard text == "text" || text == "json" else {
                    throw .init(description: "--format must be text or json")
                }
                options.json = text == "json"
            default: throw .init(description: "unknown argument \(arg)")
            }
        }
        return options
    }

    /// What one run counted.
    struct Totals {
        var patientRecords = 0
        var directoryRecords = 0
        var resources = 0
        var readErrors = 0
        var translationIssues = 0
        var withheld = 0
        var validationErrors = 0
    }

    static func main(_ arguments: [String]) {
        guard let options = BenchMain.options(arguments, usage: usage, parse) else { return }
        let cache = PackageCache(root: options.packageCache)
        let model = BenchMain.coreModel(cache)
        let store = DefinitionStore.load(
            .init(packages: [.r4Core], packageCache: cache, extraPaths: [options.profiles] + options.definitions))
        let validator = Validator(context: ValidationContext(model: model, store: store))

        let generator = SyntheticClinicGenerator(patients: options.patients, seed: options.seed)
        guard let time = FHIRInstant("\(generator.window.end)T12:00:00Z") else {
            BenchMain.fail("the generator's window gives no translation time")
        }
        let translator = ClinicTranslator(
            model: model, options: ClinicTranslationOptions(translationTime: time, clinicOrganizationId: "ORG-CLINIC"))
        let writer = ClinicRecordWriter()
        let reader = ClinicRecordReader()
        let directory = generator.directoryRecords

        var totals = Totals()
        let clock = ContinuousClock()
        let start = clock.now
        for course in generator.patientCourses {
            let bytes = writer.ndjson(directory + course)
            let read = reader.read(bytes, fileName: "patient.ndjson")
            totals.readErrors += read.issues.count { $0.severity <= .error }
            totals.patientRecords += course.count
            totals.directoryRecords += directory.count
            let batchIssues = ClinicRecordBatchChecker.check(read.records)
            totals.readErrors += batchIssues.count { $0.severity <= .error }
            let translation = translator.translate(read.records)
            totals.translationIssues += translation.issues.count
            totals.withheld += translation.withheld.count
            for translated in translation.allResources {
                totals.resources += 1
                let errors = validator.validate(translated.resource).filter { $0.severity <= .error }
                totals.validationErrors += errors.count
                if options.verbose {
                    for e in errors {
                        print("\(translated.reference): \(e.code.rawValue) \(e.path ?? "") \(e.message)")
                    }
                }
            }
        }
        let seconds = BenchMeasure.seconds(clock.now - start)
        report(options, totals: totals, seconds: seconds)
    }

    static func report(_ options: Options, totals: Totals, seconds: Double) {
        let rss = BenchMeasure.peakRSSMB()
        let recordsPerSecond = Double(totals.patientRecords) / max(seconds, 1e-9)
        let resourcesPerSecond = Double(totals.resources) / max(seconds, 1e-9)
        if options.json {
            let line = JSONValue.object(
                JSONObject([
                    ("tool", .string("fhirgate")), ("op", .string("clinic-translate-validate")),
                    ("patients", .number(String(options.patients))),
                    ("records", .number(String(totals.patientRecords))),
                    ("directory_records", .number(String(totals.directoryRecords))),
                    ("resources", .number(String(totals.resources))),
                    ("seconds", .number(BenchTable.fixed(seconds, 3))),
                    ("records_per_s", .number(BenchTable.fixed(recordsPerSecond, 1))),
                    ("resources_per_s", .number(BenchTable.fixed(resourcesPerSecond, 1))),
                    ("peak_rss_mb", .number(BenchTable.fixed(rss, 1))),
                    ("read_errors", .number(String(totals.readErrors))),
                    ("validation_errors", .number(String(totals.validationErrors))),
                    ("withheld", .number(String(totals.withheld))),
                ])
            )
            print(String(decoding: line.serialized(), as: UTF8.self))
            return
        }
        print(
            "fhirgate-bench clinic: \(options.patients) patients (seed \(options.seed)): "
                + "\(totals.patientRecords) records (+\(totals.directoryRecords) directory records re-read per patient) "
                + "-> \(totals.resources) resources in \(BenchTable.fixed(seconds, 2)) s")
        print(
            "  \(BenchTable.fixed(recordsPerSecond, 0)) records/s, \(BenchTable.fixed(resourcesPerSecond, 0)) "
                + "resources/s (generate, write, read, translate, validate), peak RSS \(BenchTable.fixed(rss, 1)) MB")
        print(
            "  read errors \(totals.readErrors), translation issues \(totals.translationIssues), "
                + "withheld \(totals.withheld), validation errors \(totals.validationErrors)")
    }
}
