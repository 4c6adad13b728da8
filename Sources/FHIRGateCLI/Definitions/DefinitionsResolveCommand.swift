import ArgumentParser
import FHIRGate

/// `fhirgate definitions resolve URL...`: which definition a canonical URL resolves to, and from where.
struct DefinitionsResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Show which definition each canonical URL resolves to, and where it comes from.",
        discussion: """
            A canonical is a URL, optionally with |version (http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1); \
            a bare resource type name (Patient) means its core StructureDefinition. Without a version the newest \
            version wins.

            Exit status: 0 when every canonical resolved, 1 when some did not, 2 on a usage error.

            Examples:
              fhirgate definitions resolve Patient http://hl7.org/fhir/ValueSet/administrative-gender
              fhirgate definitions resolve https://example.org/fhir/StructureDefinition/x --definitions my-profiles/
              fhirgate definitions resolve Observation --show
            """
    )

    @Argument(help: ArgumentHelp("Canonical URLs (url or url|version) or resource type names.", valueName: "canonical"))
    var canonicals: [String]

    @Flag(help: "Print the resolved resources themselves (FHIR JSON) instead of a summary.")
    var show = false

    @Option(help: "Output format: text for people, json for scripts.")
    var format: PackagesOutputFormat = .text

    @OptionGroup var definitionOptions: DefinitionOptions

    func run() throws {
        let store = try definitionOptions.loadStore()
        for issue in store.issues { printError(issue.description) }
        var missing = 0
        var results: [JSONValue] = []
        for canonical in canonicals {
            let (url, version) = split(canonical)
            let entry =
                store.entry(url: url, version: version)
                ?? (url.contains("/") ? nil : store.entry(url: DefinitionStore.coreStructureDefinitionBase + url))
            guard let entry else {
                missing += 1
                printError("\(canonical): not found")
                results.append(.object([("canonical", .string(canonical)), ("found", .bool(false))]))
                continue
            }
            let source = store.sources.indices.contains(entry.source) ? store.sources[entry.source].name : "?"
            if show {
                if let resource = store.load(entry) {
                    print(resource.text(pretty: true), terminator: "")
                } else {
                    missing += 1
                    printError("\(canonical): \(entry.file) could not be read")
                }
                continue
            }
            switch format {
            case .text:
                print("\(canonical) -> \(entry.resourceType) \(entry.canonical) from \(source) (\(entry.file))")
            case .json:
                results.append(
                    .object([
                        ("canonical", .string(canonical)), ("found", .bool(true)),
                        ("resourceType", .string(entry.resourceType)), ("url", .string(entry.url)),
                        ("version", .optional(entry.version)), ("source", .string(source)),
                        ("file", .string(entry.file)),
                    ]))
            }
        }
        if format == .json && !show { print(JSONValue.array(results).text(pretty: true), terminator: "") }
        if missing > 0 { throw FHIRGateExit.findings }
    }

    private func split(_ canonical: String) -> (String, String?) {
        guard let bar = canonical.lastIndex(of: "|") else { return (canonical, nil) }
        return (String(canonical[..<bar]), String(canonical[canonical.index(after: bar)...]))
    }
}
