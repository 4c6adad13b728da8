import ArgumentParser
import FHIRGate

/// `fhirgate definitions sources`: what the store loaded, in precedence order.
struct DefinitionsSourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List where definitions are loaded from, in precedence order, with counts by resource type.",
        discussion: "Exit status: 0, or 1 when a source could not be loaded (the problems are listed)."
    )

    @Option(help: "Output format: text for people, json for scripts.")
    var format: PackagesOutputFormat = .text

    @OptionGroup var definitionOptions: DefinitionOptions

    func run() throws {
        let store = try definitionOptions.loadStore()
        var counts = [[String: Int]](repeating: [:], count: store.sources.count)
        for entry in store.entries where counts.indices.contains(entry.source) {
            counts[entry.source][entry.resourceType, default: 0] += 1
        }
        switch format {
        case .text:
            for (i, source) in store.sources.enumerated() {
                let total = counts[i].values.reduce(0, +)
                let byType = counts[i].sorted { $0.value > $1.value }.prefix(6).map { "\($0.key) \($0.value)" }
                print("\(i + 1). \(source.name) [\(source.kind.rawValue)] \(source.path): \(total) definitions")
                if !byType.isEmpty { print("   " + byType.joined(separator: ", ")) }
            }
            for issue in store.issues { printError(issue.description) }
        case .json:
            let sources: [JSONValue] = store.sources.enumerated().map { i, source in
                .object([
                    ("name", .string(source.name)), ("kind", .string(source.kind.rawValue)),
                    ("path", .string(source.path)),
                    (
                        "counts",
                        .object(counts[i].sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number($0.value)) })
                    ),
                ])
            }
            let issues: [JSONValue] = store.issues.map { .string($0.description) }
            print(
                JSONValue.object([("sources", .array(sources)), ("issues", .array(issues))]).text(pretty: true),
                terminator: "")
        }
        if store.issues.contains(where: { $0.severity <= Issue.Severity.error }) { throw FHIRGateExit.findings }
    }
}
