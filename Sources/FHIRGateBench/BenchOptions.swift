/// Command-line options of `fhirgate-bench`.
///
///     fhirgate-bench [--repeat N] [--format text|json] [--dataset NAME] [--package-cache DIR]
///                    [--no-xml] PATH...
///
/// PATH is a FHIR JSON file or a folder of them (`*.json`, not recursive).
struct BenchOptions {
    enum OutputFormat: String {
        case text, json
    }

    var paths: [String] = []
    var repeatCount = 5
    var format: OutputFormat = .text
    var dataset: String?
    var packageCache: String?
    var includeXML = true

    static let usage = """
        usage: fhirgate-bench [--repeat N] [--format text|json] [--dataset NAME] [--package-cache DIR] [--no-xml] PATH...

        Times parsing FHIR JSON into the lossless element tree and serializing it back (and the same
        for XML made from those trees), reporting MB/s, resources/s and peak RSS. PATH is a JSON file
        or a folder of *.json files. All files are read into memory before timing.
        """

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses the arguments (without the program name). Returns nil for `--help`.
    static func parse(_ arguments: [String]) throws(UsageError) -> BenchOptions? {
        var options = BenchOptions()
        var index = 0
        func value(for flag: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let arg = arguments[index]
            switch arg {
            case "-h", "--help":
                return nil
            case "--repeat", "-n":
                let text = try value(for: arg)
                guard let n = Int(text), n > 0, n <= 10_000 else {
                    throw UsageError(description: "--repeat needs a positive count")
                }
                options.repeatCount = n
            case "--format":
                let text = try value(for: arg)
                guard let format = OutputFormat(rawValue: text) else {
                    throw UsageError(description: "--format must be text or json")
                }
                options.format = format
            case "--dataset":
                options.dataset = try value(for: arg)
            case "--package-cache":
                options.packageCache = try value(for: arg)
            case "--no-xml":
                options.includeXML = false
            default:
                if arg.hasPrefix("-") && arg != "-" {
                    throw UsageError(description: "unknown option \(arg)")
                }
                options.paths.append(arg)
            }
            index += 1
        }
        guard !options.paths.isEmpty else { throw UsageError(description: "give at least one file or folder") }
        return options
    }
}
