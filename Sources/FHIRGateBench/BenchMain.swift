import FHIRGate

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `fhirgate-bench`: parse and serialize throughput of the FHIR JSON and XML readers and writers.
/// See ``BenchOptions`` for the arguments; `scripts/bench.sh` runs it beside the Python baselines.
@main
struct BenchMain {
    static func main() {
        if CommandLine.arguments.dropFirst().first == "fhirpath" {
            return FHIRPathBench.main(Array(CommandLine.arguments.dropFirst(2)))
        }
        if CommandLine.arguments.dropFirst().first == "validate" {
            return ValidateBench.main(Array(CommandLine.arguments.dropFirst(2)))
        }
        if CommandLine.arguments.dropFirst().first == "clinic" {
            return ClinicBench.main(Array(CommandLine.arguments.dropFirst(2)))
        }
        let options: BenchOptions
        do {
            guard let parsed = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
                print(BenchOptions.usage)
                return
            }
            options = parsed
        } catch {
            fail("\(error)\n\n\(BenchOptions.usage)")
        }

        let cache = PackageCache(root: options.packageCache)
        let clock = ContinuousClock()
        let loadStart = clock.now
        let model = coreModel(cache)
        let loadSeconds = BenchMeasure.seconds(clock.now - loadStart)

        let files = collectFiles(options.paths)
        guard !files.isEmpty else { fail("no .json files in \(options.paths.joined(separator: " "))") }
        var documents: [[UInt8]] = []
        documents.reserveCapacity(files.count)
        for file in files {
            do {
                documents.append(try FileBytes.read(file))
            } catch {
                fail("cannot read \(error)")
            }
        }

        let dataset = options.dataset ?? defaultDataset(options.paths)
        let runner = BenchRunner(model: model, dataset: dataset, repeatCount: options.repeatCount)
        let results = runner.run(documents: documents, includeXML: options.includeXML)

        switch options.format {
        case .json:
            for result in results { print(result.jsonLine) }
        case .text:
            let totalMB = BenchTable.fixed(Double(documents.reduce(0) { $0 + $1.count }) / 1e6, 1)
            print("fhirgate-bench: \(files.count) files, \(totalMB) MB, median of \(options.repeatCount) passes")
            print("core model loaded in \(BenchTable.fixed(loadSeconds, 3)) s")
            print(BenchTable.render(results))
        }
    }

    /// Files named on the command line, and the `*.json` files of named folders (sorted).
    static func collectFiles(_ paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            if let names = try? FileBytes.listDirectory(path) {
                files += names.filter { $0.hasSuffix(".json") }.map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        return files
    }

    static func defaultDataset(_ paths: [String]) -> String {
        guard paths.count == 1, let last = paths[0].split(separator: "/").last else { return "input" }
        return String(last)
    }

    /// A subcommand's options: nil after printing its usage for `--help`; exits on a usage error.
    static func options<Options>(
        _ arguments: [String], usage: String, _ parse: ([String]) throws(BenchOptions.UsageError) -> Options?
    ) -> Options? {
        do {
            guard let parsed = try parse(arguments) else {
                print(usage)
                return nil
            }
            return parsed
        } catch {
            fail("\(error)\n\n\(usage)")
        }
    }

    /// The R4 core model from the package cache; exits when it cannot be loaded.
    static func coreModel(_ cache: PackageCache) -> ModelInfo {
        do {
            return try ModelInfoLoader.loadCore(packageCacheRoot: cache.root).model
        } catch {
            fail("cannot load the FHIR R4 core model from \(cache.root) (run scripts/setup.sh): \(error)")
        }
    }

    static func fail(_ message: String) -> Never {
        var text = "fhirgate-bench: " + message + "\n"
        text.withUTF8 { buf in _ = write(2, buf.baseAddress, buf.count) }
        exit(2)
    }
}
