import ArgumentParser
import FHIRGate

/// `fhirgate packages list`: the packages installed in the cache.
struct PackagesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the packages installed in the package cache.",
        discussion: "Packages whose package.json cannot be read are reported as warnings (in JSON under \"problems\")."
    )

    @OptionGroup var cacheOption: PackageCacheOption

    @Option(help: "Output format: text for people, json for scripts.")
    var format: PackagesOutputFormat = .text

    func run() throws {
        let cache = PackageCache(root: cacheOption.packageCache)
        let (packages, problems) = cache.installedPackages()
        switch format {
        case .json:
            let json = JSONValue.object([
                ("cache", .string(cache.root)),
                ("packages", .array(packages.map(Self.json))),
                (
                    "problems",
                    .array(
                        problems.map { issue in
                            .object([
                                ("code", .string(issue.code.rawValue)), ("message", .string(issue.message)),
                                ("file", .optional(issue.file)),
                            ])
                        })
                ),
            ])
            print(json.text(pretty: true), terminator: "")
        case .text:
            for problem in problems { PackagesOutput.warning(PackagesOutput.describe(problem)) }
            guard !packages.isEmpty else {
                print("No packages installed in \(cache.root).")
                return
            }
            print("\(packages.count) package\(packages.count == 1 ? "" : "s") in \(cache.root):")
            let width = packages.map { $0.reference.description.count }.max() ?? 0
            for package in packages {
                let name = package.reference.description
                var line = name + String(repeating: " ", count: width - name.count)
                let fhir = package.manifest.fhirVersions.joined(separator: ", ")
                line += "  FHIR " + (fhir.isEmpty ? "?" : fhir)
                if !package.manifest.dependencies.isEmpty {
                    line +=
                        "  depends on "
                        + package.manifest.dependencies.map { "\($0.id)#\($0.version)" }.joined(separator: ", ")
                }
                print(line)
            }
        }
    }

    static func json(_ package: InstalledPackage) -> JSONValue {
        let m = package.manifest
        return .object([
            ("id", .string(package.id)),
            ("version", .string(package.version)),
            ("path", .string(package.path)),
            ("name", .string(m.name)),
            ("fhirVersions", .array(m.fhirVersions.map { .string($0) })),
            ("canonical", .optional(m.canonical)),
            ("type", .optional(m.type)),
            ("dependencies", .object(m.dependencies.map { ($0.id, .string($0.version)) })),
        ])
    }
}
