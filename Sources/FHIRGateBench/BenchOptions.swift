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
        var args = BenchArguments(arguments)
        while let arg = args.next() {
            switch arg {
            case "-h", "--help":
                return nil
            case "--repeat", "-n":
                let text = try args.value(for: arg)
                guard let n = Int(text), n > 0, n <= 10_000 else {
                    throw UsageError(description: "--repeat needs a positive count")
                }
                options.repeatCount = n
            case "--format":
                let text = try args.value(for: arg)
                guard let format = OutputFormat(rawValue: text) else {
                    throw UsageError(description: "--format must be text or json")
                }
                options.format = format
            case "--dataset":
                options.dataset = try args.value(for: arg)
            case "--package-cache":
                options.packageCache = try args.value(for: arg)
            case "--no-xml":
                options.includeXML = false
            default:
                if arg.hasPrefix("-") && arg != "-" {
                    throw UsageError(description: "unknown option \(arg)")
                }
                options.paths.append(arg)
            }
        }
        guard !options.paths.isEmpty else { throw UsageError(description: "give at least one file or folder") }
        return options
    }
}

/// The command line of a bench subcommand, read flag by flag (shared by every option parser).
struct BenchArguments {
    private let arguments: [String]
    private var index = 0

    init(_ arguments: [String]) {
        self.arguments = arguments
    }

    /// The next argument, or nil at the end.
    mutating func next() -> String? {
        guard index < arguments.count else { return nil }
        defer { index += 1 }
        return arguments[index]
    }

    /// The value after `flag`; an error naming the flag when there is none.
    mutating func value(for flag: String) throws(BenchOptions.UsageError) -> String {
        guard let value = next() else { throw BenchOptions.UsageError(description: "\(flag) needs a value") }
        return value
    }
}
