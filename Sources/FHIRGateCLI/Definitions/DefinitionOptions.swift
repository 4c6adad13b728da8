import ArgumentParser
import FHIRGate

/// Which definitions a command sees: installed packages, the project's `Profiles/` package, and
/// extra files or folders. Shared by every command that needs definitions.
struct DefinitionOptions: ParsableArguments {
    @Option(
        name: .customLong("definitions"),
        help: ArgumentHelp(
            "An extra definitions file or folder (StructureDefinitions, ValueSets, CodeSystems, ...; JSON or XML, "
                + "single resources or Bundles). Repeatable; these take precedence.", valueName: "path"))
    var definitions: [String] = []

    @Option(
        name: .customLong("profiles"),
        help: ArgumentHelp(
            "The clinic's own definitions package folder (with a package.json). Default: ./Profiles when present.",
            valueName: "dir"))
    var profiles: String?

    @Option(
        name: .customLong("package"),
        help: ArgumentHelp(
            "A package to load from the package cache, as id#version. Repeatable. Default: hl7.fhir.r4.core#4.0.1.",
            valueName: "id#version"))
    var packages: [String] = []

    @OptionGroup var cache: PackageCacheOption

    /// The store these options describe. Unreadable or missing parts are in the store's issues.
    func loadStore() throws -> DefinitionStore {
        var references: [PackageReference] = []
        for text in packages {
            do { references.append(try PackageReference(parsing: text)) } catch {
                throw ValidationError(error.message)
            }
        }
        if references.isEmpty { references = [.r4Core] }
        let profilesDirectory = profiles ?? (FileBytes.exists("Profiles/package.json") ? "Profiles" : nil)
        return DefinitionStore.load(
            DefinitionStore.Options(
                packages: references, packageCache: PackageCache(root: cache.packageCache),
                profilesDirectory: profilesDirectory, extraPaths: definitions))
    }
}
