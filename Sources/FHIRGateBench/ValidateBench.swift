import FHIRGate

/// `fhirgate-bench validate`: full validation throughput (structure, bindings, invariants) over
/// FHIR files, and the time to validate generated Bundles of growing size.
///
///     fhirgate-bench validate [--repeat N] [--threads N] [--format text|json] [--dataset NAME]
///                             [--package-cache DIR] [--no-bindings] [--no-invariants]
///                             [--bundle-entries N]... [--dump FILE] [PATH...]
///
/// Files are read into memory first. The first pass over them is reported on its own
/// (`validate-cold`: profiles resolved, invariants compiled, value sets expanded on first use);
/// `validate` is the median of `--repeat` further passes. Each pass reads (parses) and validates
/// every document, as `fhirgate validate` does. `--bundle-entries N` generates a collection Bundle
/// of N entries with internal references (``ValidateBenchBundle``) and times reading and
/// validating it (`validate-bundle`).
enum ValidateBench {
    static let usage = """
        usage: fhirgate-bench validate [--repeat N] [--threads N] [--format text|json] [--dataset NAME] [--package-cache DIR] [--no-bindings] [--no-invariants] [--bundle-entries N]... [--dump FILE] [PATH...]

        Times reading and validating FHIR JSON/XML files (PATH: files or folders, searched recursively),
        reporting resources/s and peak RSS; the first pass (cold caches) is reported separately.
        --bundle-entries N (repeatable) times a generated Bundle of N entries with internal references.
        --dump FILE writes every issue of the last pass over the files, one sorted line each (to compare builds).
        """

    struct Options {
        var paths: [String] = []
        var repeatCount = 3
        var threads = 1
        var json = false
        var dataset: String?
        var packageCache: String?
        var checkBindings = true
        var checkInvariants = true
        var bundleEntries: [Int] = []
        /// Writes every issue of the last pass over the files to this path, one line each, sorted
        /// (to compare the findings of two builds).
        var dumpPath: String?
    }

    static func parse(_ arguments: [String]) throws(BenchOptions.UsageError) -> Options? {
        var options = Options()
        var index = 0
        func value(for flag: String) throws(BenchOptions.UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw .init(description: "\(flag) needs a value") }
            return arguments[index]
        }
        func count(for flag: String, max limit: Int) throws(BenchOptions.UsageError) -> Int {
            guard let n = Int(try value(for: flag)), n > 0, n <= limit else {
                throw .init(description: "\(flag) needs a count from 1 to \(limit)")
            }
            return n
        }
        while index < arguments.count {
            let arg = arguments[index]
            switch arg {
            case "-h", "--help": return nil
            case "--repeat", "-n": options.repeatCount = try count(for: arg, max: 1000)
            case "--threads": options.threads = try count(for: arg, max: 256)
            case "--format":
                let text = try value(for: arg)
                guard text == "text" || text == "json" else {
                    throw .init(description: "--format must be text or json")
                }
                options.json = text == "json"
            case "--dataset": options.dataset = try value(for: arg)
            case "--package-cache": options.packageCache = try value(for: arg)
            case "--no-bindings": options.checkBindings = false
            case "--no-invariants": options.checkInvariants = false
            case "--bundle-entries": options.bundleEntries.append(try count(for: arg, max: 10_000_000))
            case "--dump": options.dumpPath = try value(for: arg)
            default:
                if arg.hasPrefix("-") { throw .init(description: "unknown option \(arg)") }
                options.paths.append(arg)
            }
            index += 1
        }
        guard !options.paths.isEmpty || !options.bundleEntries.isEmpty else {
            throw .init(description: "give at least one file or folder, or --bundle-entries N")
        }
        return options
    }

    /// Entry point for the arguments after `validate`.
    static func main(_ arguments: [String]) {
        guard let options = BenchMain.options(arguments, usage: usage, parse) else { return }
        let clock = ContinuousClock()
        let loadStart = clock.now
        let cache = PackageCache(root: options.packageCache)
        let model = BenchMain.coreModel(cache)
        let store = DefinitionStore.load(
            .init(packages: [.r4Core], packageCache: cache, xml: .converter(DefinitionXML.converter(model: model))))
        let context = ValidationContext(model: model, store: store)
        let validator = Validator(
            context: context,
            options: ValidationOptions(checkBindings: options.checkBindings, checkInvariants: options.checkInvariants))
        var inputs = InputValidator(validator: validator)
        inputs.concurrency = options.threads
        let loadSeconds = BenchMeasure.seconds(clock.now - loadStart)

        var results: [ValidateBenchResult] = []
        if !options.paths.isEmpty {
            let dataset = options.dataset ?? BenchMain.defaultDataset(options.paths)
            results += runFiles(options, dataset: dataset, model: model, inputs: inputs)
        }
        for entries in options.bundleEntries {
            results.append(runBundle(entries: entries, options: options, inputs: inputs))
        }
        if options.json {
            for r in results { print(r.jsonLine) }
        } else {
            print(
                "fhirgate-bench validate: \(options.threads) thread(s), bindings \(options.checkBindings ? "on" : "off"), "
                    + "invariants \(options.checkInvariants ? "on" : "off"); definitions loaded in "
                    + "\(BenchTable.fixed(loadSeconds, 3)) s")
            print(ValidateBenchResult.table(results))
        }
    }

    private static func runFiles(_ options: Options, dataset: String, model: ModelInfo, inputs: InputValidator)
        -> [ValidateBenchResult]
    {
        let sources = ValidationSource.expand(options.paths)
        var documents: [(name: String, bytes: [UInt8])] = []
        for source in sources {
            guard case .document(let path) = source else { continue }
            do {
                documents.append((path, try FileBytes.read(path)))
            } catch {
                BenchMain.fail("cannot read \(error)")
            }
        }
        guard !documents.isEmpty else { BenchMain.fail("no .json or .xml files in \(options.paths)") }
        let bytes = documents.reduce(0) { $0 + $1.bytes.count }
        let converter = ResourceConverter(model: model)
        var resources = 0
        for document in documents {
            guard let format = FHIRFormat.sniff(document.bytes),
                let parsed = try? converter.read(document.bytes, as: format)
            else { continue }
            resources += BenchRunner.countResources(parsed.root)
        }
        let clock = ContinuousClock()
        var reports: [ValidationReport] = []
        let coldSeconds = BenchMeasure.seconds(clock.measure { reports = inputs.validate(documents: documents) })
        let cold = ValidateBenchResult(
            dataset: dataset, op: "validate-cold", files: documents.count, bytes: bytes, resources: resources,
            seconds: coldSeconds, threads: options.threads, reports: reports)
        let warmSeconds = BenchMeasure.median(repeat: options.repeatCount) {
            reports = inputs.validate(documents: documents)
        }
        var warm = ValidateBenchResult(
            dataset: dataset, op: "validate", files: documents.count, bytes: bytes, resources: resources,
            seconds: warmSeconds, threads: options.threads, reports: reports)
        warm.repeatCount = options.repeatCount
        if let path = options.dumpPath { dump(reports, to: path) }
        return [cold, warm]
    }

    /// Every issue of `reports`, one sorted line each: file, resource, then the issue.
    private static func dump(_ reports: [ValidationReport], to path: String) {
        var lines: [String] = []
        for r in reports {
            for issue in r.issues { lines.append(r.location + "\t" + (r.resource ?? "-") + "\t" + issue.description) }
        }
        lines.sort()
        let text = lines.joined(separator: "\n") + "\n"
        do {
            try FileBytes.writeAtomically(Array(text.utf8), to: path)
        } catch {
            BenchMain.fail("cannot write \(path): \(error)")
        }
    }

    private static func runBundle(entries: Int, options: Options, inputs: InputValidator) -> ValidateBenchResult {
        let bundle = ValidateBenchBundle.make(entries: entries)
        let name = "bundle-\(entries)"
        var reports: [ValidationReport] = []
        // A Bundle is one document: its time is one thread's, whatever --threads says.
        let repeatCount = entries >= 50_000 ? 1 : options.repeatCount
        let seconds = BenchMeasure.median(repeat: repeatCount) {
            reports = inputs.validate(documents: [(name, bundle)])
        }
        var result = ValidateBenchResult(
            dataset: name, op: "validate-bundle", files: 1, bytes: bundle.count, resources: entries + 1,
            seconds: seconds, threads: 1, reports: reports)
        result.repeatCount = repeatCount
        return result
    }
}

/// One measured validation run.
struct ValidateBenchResult {
    var dataset: String
    var op: String
    var files: Int
    var bytes: Int
    var resources: Int
    var seconds: Double
    var threads: Int
    var peakRSSMB = BenchMeasure.peakRSSMB()
    var repeatCount = 1
    /// Reports with errors, unreadable inputs, and issues by severity in the last pass.
    var withErrors = 0
    var unreadable = 0
    var errors = 0
    var warnings = 0

    init(
        dataset: String, op: String, files: Int, bytes: Int, resources: Int, seconds: Double, threads: Int,
        reports: [ValidationReport]
    ) {
        self.dataset = dataset
        self.op = op
        self.files = files
        self.bytes = bytes
        self.resources = resources
        self.seconds = seconds
        self.threads = threads
        for r in reports {
            if r.unreadable { unreadable += 1 } else if r.hasErrors { withErrors += 1 }
            errors += r.errorCount
            warnings += r.warningCount
        }
    }

    var resourcesPerSecond: Double { seconds > 0 ? Double(resources) / seconds : 0 }
    var mbPerSecond: Double { seconds > 0 ? Double(bytes) / 1e6 / seconds : 0 }

    /// One JSON object, in the shape of the other benchmark records (plus the validation counts).
    var jsonLine: String {
        "{\"tool\": \"fhirgate\", \"dataset\": \(JSONValue.quoted(dataset)), \"op\": \(JSONValue.quoted(op)), "
            + "\"files\": \(files), \"bytes\": \(bytes), \"resources\": \(resources), \"seconds\": \(seconds), "
            + "\"mb_per_s\": \(mbPerSecond), \"resources_per_s\": \(resourcesPerSecond), "
            + "\"peak_rss_mb\": \(peakRSSMB), \"failures\": \(unreadable), \"repeat\": \(repeatCount), "
            + "\"threads\": \(threads), \"with_errors\": \(withErrors), \"errors\": \(errors), \"warnings\": \(warnings)}"
    }

    static func table(_ results: [ValidateBenchResult]) -> String {
        var rows = [
            [
                "dataset", "op", "files", "resources", "MB", "s/pass", "res/s", "us/res", "peak RSS MB", "with errors",
                "errors", "warnings",
            ]
        ]
        for r in results {
            let perResource = r.resources > 0 ? r.seconds * 1e6 / Double(r.resources) : 0
            rows.append([
                r.dataset, r.op, String(r.files), String(r.resources), BenchTable.fixed(Double(r.bytes) / 1e6, 1),
                BenchTable.fixed(r.seconds, 4), BenchTable.fixed(r.resourcesPerSecond, 0),
                BenchTable.fixed(perResource, 1), BenchTable.fixed(r.peakRSSMB, 0), String(r.withErrors),
                String(r.errors), String(r.warnings),
            ])
        }
        return BenchTable.aligned(rows, leftColumns: 2)
    }
}
