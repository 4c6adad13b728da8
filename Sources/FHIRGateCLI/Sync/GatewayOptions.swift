import ArgumentParser
import Foundation

/// Options shared by the commands that use the gateway configuration (push, pull, sync, outbox).
struct GatewayOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "The gateway configuration file (YAML; see Samples/fhirgate.yaml). Default: $FHIRGATE_CONFIG, else fhirgate.yaml.",
            valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("target"),
        help: ArgumentHelp("Only this target (repeatable). Default: every target.", valueName: "name"))
    var targets: [String] = []

    @Option(help: "Output: text for people, json for programs.")
    var format: GatewayOutputFormat = .text

    @OptionGroup var packages: PackageCacheOption

    /// The configuration file to read.
    var configPath: String {
        if let config { return config }
        if let fromEnvironment = ProcessInfo.processInfo.environment["FHIRGATE_CONFIG"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "fhirgate.yaml"
    }
}

enum GatewayOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
