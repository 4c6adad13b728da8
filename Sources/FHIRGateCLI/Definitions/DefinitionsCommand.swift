import ArgumentParser

/// `fhirgate definitions`: what the definition store sees.
struct DefinitionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "definitions",
        abstract: "Look up canonical definitions across packages, Profiles/ and extra files.",
        discussion: """
            The definition store indexes every canonical resource (StructureDefinition, ValueSet, \
            CodeSystem, SearchParameter, ...) by URL and version. Files given with --definitions come \
            first, then the project's Profiles/ package, then installed packages and their dependencies.
            """,
        subcommands: [DefinitionsResolveCommand.self, DefinitionsSourcesCommand.self]
    )
}
