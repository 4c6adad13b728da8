import ArgumentParser

/// `fhirgate packages`: the FHIR package cache shared with the HL7 validator, Firely Terminal
/// and SUSHI (`~/.fhir/packages`).
struct PackagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "packages",
        abstract: "Install and list FHIR packages in the shared package cache (~/.fhir/packages).",
        discussion: """
            The cache is the one the HL7 validator, Firely Terminal and SUSHI use: one folder per package, \
            <cache>/<id>#<version>/package/. Its location is --package-cache, else the \
            FHIRGATE_PACKAGE_CACHE environment variable, else ~/.fhir/packages.
            """,
        subcommands: [PackagesInstallCommand.self, PackagesListCommand.self]
    )
}

/// The `--package-cache` option shared by the package commands.
struct PackageCacheOption: ParsableArguments {
    @Option(
        name: .customLong("package-cache"),
        help: ArgumentHelp(
            "The package cache folder (default: $FHIRGATE_PACKAGE_CACHE, else ~/.fhir/packages).",
            valueName: "dir"))
    var packageCache: String?
}

/// Output formats of the package commands.
enum PackagesOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
