import ArgumentParser
import FHIRGate

/// `fhirgate packages install <id>#<version> --from FILE.tgz`.
struct PackagesInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a FHIR package tarball into the package cache.",
        discussion: """
            The tarball (.tgz, as published on packages.fhir.org) is checked against --sha256 when given, \
            unpacked into a temporary folder and moved into <cache>/<id>#<version> only once complete, \
            so a failed install never leaves a half-installed package. Its package.json must name the \
            same id and version. Downloading from a URL is not available yet: download the tarball \
            first and pass it with --from.

            Examples:
              fhirgate packages install hl7.fhir.r4.core#4.0.1 --from core.tgz
              fhirgate packages install my.ig#1.0.0 --from my-ig.tgz --sha256 <hex>
            """
    )

    @Argument(help: ArgumentHelp("The package and version, written id#version (e.g. hl7.fhir.r4.core#4.0.1).", valueName: "id#version"))
    var package: String

    @Option(name: .customLong("from"), help: ArgumentHelp("The package tarball to install (a local .tgz file).", valueName: "file.tgz"))
    var from: String?

    @Option(name: .customLong("sha256"), help: ArgumentHelp("The expected SHA-256 of the tarball, in hex; the install fails on a mismatch.", valueName: "hex"))
    var sha256: String?

    @Flag(name: .customLong("force"), help: "Replace the package if it is already installed.")
    var force = false

    @OptionGroup var cacheOption: PackageCacheOption

    @Option(help: "Output format: text for people, json for scripts.")
    var format: PackagesOutputFormat = .text

    func run() throws {
        let reference: PackageReference
        do {
            reference = try PackageReference(parsing: package)
        } catch {
            PackagesOutput.error(error.message)
            throw FHIRGateExit.inputError
        }
        let cache = PackageCache(root: cacheOption.packageCache)

        guard let from else {
            if cache.isInstalled(reference) {
                report(reference, status: "already-installed", path: cache.directory(for: reference), files: 0,
                    text: "\(reference) is already installed in \(cache.directory(for: reference)).")
                return
            }
            PackagesOutput.error(
                "\(reference) is not installed in \(cache.root). Supply the package tarball with --from FILE.tgz "
                    + "(download it from https://packages.fhir.org/\(reference.id)/\(reference.version)).")
            throw FHIRGateExit.inputError
        }
        let lowered = from.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            PackagesOutput.error(
                "--from must be a local file for now: downloading packages arrives with the HTTPS transport. "
                    + "Download the tarball first and pass its path.")
            throw FHIRGateExit.inputError
        }

        let result: PackageInstaller.Result
        do {
            result = try PackageInstaller(cache: cache).install(
                reference, fromTarball: from, expectedSHA256: sha256, replaceExisting: force)
        } catch {
            PackagesOutput.error(PackagesOutput.describe(error.issue))
            throw FHIRGateExit.inputError
        }
        for warning in result.warnings { PackagesOutput.warning(PackagesOutput.describe(warning)) }
        switch result.status {
        case .installed:
            report(reference, status: "installed", path: result.path, files: result.fileCount,
                text: "Installed \(reference) into \(result.path) (\(result.fileCount) files).")
        case .replaced:
            report(reference, status: "replaced", path: result.path, files: result.fileCount,
                text: "Replaced \(reference) in \(result.path) (\(result.fileCount) files).")
        case .alreadyInstalled:
            report(reference, status: "already-installed", path: result.path, files: 0,
                text: "\(reference) is already installed in \(result.path); use --force to replace it.")
        }
    }

    private func report(_ reference: PackageReference, status: String, path: String, files: Int, text: String) {
        switch format {
        case .text:
            print(text)
        case .json:
            let json = PackagesJSON.object([
                ("package", .string(reference.description)), ("status", .string(status)), ("path", .string(path)),
                ("files", .number(files)),
            ])
            print(json.text, terminator: "")
        }
    }
}
