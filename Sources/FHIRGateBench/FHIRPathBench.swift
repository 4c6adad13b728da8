import FHIRGate

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `fhirgate-bench fhirpath`: FHIRPath evaluation throughput on the core invariants and a few
/// clinical expressions over a folder of FHIR JSON resources.
///
///     fhirgate-bench fhirpath [--min-seconds S] [--format text|json] [--dataset NAME]
///                             [--package-cache DIR] PATH...
///
/// Every expression is compiled once (outside the timing) and evaluated on each of its targets;
/// the passes over all targets are repeated until `--min-seconds` have elapsed. The targets are
/// defined so that `scripts/bench_fhirpath.py` can pick the same ones from the JSON: see
/// ``FHIRPathBenchCase/Scope``.
enum FHIRPathBench {
    static let usage = """
        usage: fhirgate-bench fhirpath [--min-seconds S] [--format text|json] [--dataset NAME] [--package-cache DIR] [--only NAME] PATH...

        Times FHIRPath evaluation (ele-1, dom-2..dom-6 and clinical expressions) over FHIR JSON
        resources, reporting evaluations per second. PATH is a JSON file or a folder of *.json files.
        --only NAME runs just the named expression (repeatable), e.g. for profiling.
        --compile-invariants times parsing, checking and compiling every invariant of the core
        StructureDefinitions instead (what a validator does at start-up); no PATH needed.
        """

    struct Options {
        var paths: [String] = []
        var minSeconds = 1.0
        var json = false
        var dataset: String?
        var packageCache: String?
        var only: Set<String> = []
        /// Time compiling every invariant of the core StructureDefinitions instead.
        var compileInvariants = false
    }

    static func parse(_ arguments: [String]) throws(BenchOptions.UsageError) -> Options? {
        var options = Options()
        var args = BenchArguments(arguments)
        while let arg = args.next() {
            switch arg {
            case "-h", "--help": return nil
            case "--min-seconds":
                guard let s = Double(try args.value(for: arg)), s > 0, s <= 3600 else {
                    throw .init(description: "--min-seconds needs a positive number")
                }
                options.minSeconds = s
            case "--format":
                let text = try args.value(for: arg)
                guard text == "text" || text == "json" else {
                    throw .init(description: "--format must be text or json")
                }
                options.json = text == "json"
            case "--dataset": options.dataset = try args.value(for: arg)
            case "--package-cache": options.packageCache = try args.value(for: arg)
            case "--only": options.only.insert(try args.value(for: arg))
            case "--compile-invariants": options.compileInvariants = true
            default:
                if arg.hasPrefix("-") { throw .init(description: "unknown option \(arg)") }
                options.paths.append(arg)
            }
        }
        guard !options.paths.isEmpty || options.compileInvariants else {
            throw .init(description: "give at least one file or folder")
        }
        return options
    }

    /// Entry point for the arguments after `fhirpath`.
    static func main(_ arguments: [String]) {
        guard let options = BenchMain.options(arguments, usage: usage, parse) else { return }
        let model = BenchMain.coreModel(PackageCache(root: options.packageCache))
        if options.compileInvariants {
            return FHIRPathCompileBench.run(model: model, packageCache: options.packageCache)
        }
        let reader = FHIRJSONReader(model: model)
        var roots: [ElementNode] = []
        var failures = 0
        for file in BenchMain.collectFiles(options.paths) {
            guard let bytes = try? FileBytes.read(file), let parsed = try? reader.read(bytes) else {
                failures += 1
                continue
            }
            roots.append(parsed.root)
        }
        guard !roots.isEmpty else { BenchMain.fail("no readable .json files in \(options.paths)") }
        let dataset = options.dataset ?? BenchMain.defaultDataset(options.paths)
        let targets = FHIRPathBenchTargets(roots: roots, model: model)
        var results: [FHIRPathBenchResult] = []
        for benchCase in FHIRPathBenchCase.all where options.only.isEmpty || options.only.contains(benchCase.name) {
            do throws(FHIRPathError) {
                results.append(
                    try run(benchCase, targets: targets, model: model, dataset: dataset, minSeconds: options.minSeconds)
                )
            } catch {
                BenchMain.fail("\(benchCase.name) does not compile: \(error)")
            }
        }
        if options.json {
            for r in results { print(r.jsonLine) }
        } else {
            print(
                "fhirgate-bench fhirpath: \(roots.count) resources (\(failures) unreadable), >= \(options.minSeconds) s each"
            )
            print(FHIRPathBenchResult.table(results))
        }
    }

    static func run(
        _ benchCase: FHIRPathBenchCase, targets: FHIRPathBenchTargets, model: ModelInfo, dataset: String,
        minSeconds: Double
    ) throws(FHIRPathError) -> FHIRPathBenchResult {
        let compiled = try FHIRPathEngine(model: model).compile(
            benchCase.expression, contextType: benchCase.contextType)
        let nodes = targets.nodes(for: benchCase.scope)
        let environment = FHIRPathEnvironment()
        // Untimed pass: what the results are, so runs can be compared with other engines.
        var trueCount = 0
        var nonEmpty = 0
        var errors = 0
        for node in nodes {
            do throws(FHIRPathError) {
                let result = try compiled.evaluate(on: node, environment: environment)
                if !result.isEmpty { nonEmpty += 1 }
                if result.count == 1, case .boolean(true)? = result[0].systemValue { trueCount += 1 }
            } catch {
                errors += 1
            }
        }
        let clock = ContinuousClock()
        var passes = 0
        var sink = 0
        let start = clock.now
        var elapsed = 0.0
        repeat {
            for node in nodes {
                if let result = try? compiled.evaluate(on: node, environment: environment) { sink &+= result.count }
            }
            passes += 1
            elapsed = BenchMeasure.seconds(clock.now - start)
        } while elapsed < minSeconds && !nodes.isEmpty
        if sink == Int.min { print("") }
        return FHIRPathBenchResult(
            dataset: dataset, benchCase: benchCase, targets: nodes.count, evaluations: nodes.count * passes,
            seconds: elapsed, trueResults: trueCount, nonEmptyResults: nonEmpty, errors: errors)
    }
}
