import ArgumentParser
import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// `fhirgate packages install <id>#<version> --from FILE.tgz`.
struct PackagesInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a FHIR package tarball into the package cache.",
        discussion: """
            The tarball (.tgz, as published on packages.fhir.org) is checked against --sha256 when given, \
            unpacked into a temporary folder and moved into <cache>/<id>#<version> only once complete, \
            so a failed install never leaves a half-installed package. Its package.json must name the \
            same id and version. --from also takes an http(s) URL: the tarball is downloaded with TLS \
            verification on, then installed the same way.

            Examples:
              fhirgate packages install hl7.fhir.r4.core#4.0.1 --from core.tgz
              fhirgate packages install my.ig#1.0.0 --from my-ig.tgz --sha256 <hex>
              fhirgate packages install hl7.fhir.us.core#3.1.0 --from https://packages.fhir.org/hl7.fhir.us.core/3.1.0
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The package and version, written id#version (e.g. hl7.fhir.r4.core#4.0.1).", valueName: "id#version"))
    var package: String

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp(
            "The package tarball to install: a local .tgz file or an http(s) URL.", valueName: "file.tgz|url"))
    var from: String?

    @Option(
        name: .customLong("sha256"),
        help: ArgumentHelp(
            "The expected SHA-256 of the tarball, in hex; the install fails on a mismatch.", valueName: "hex"))
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
                report(
                    reference, status: "already-installed", path: cache.directory(for: reference), files: 0,
                    text: "\(reference) is already installed in \(cache.directory(for: reference)).")
                return
            }
            PackagesOutput.error(
                "\(reference) is not installed in \(cache.root). Supply the package tarball with --from FILE.tgz "
                    + "(download it from https://packages.fhir.org/\(reference.id)/\(reference.version)).")
            throw FHIRGateExit.inputError
        }
        var tarball = from
        let lowered = from.lowercased()
        let isURL = lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
        if isURL {
            tarball = "/tmp/fhirgate-download-\(getpid())-\(reference.id).tgz"
            do {
                let bytes = try PackageDownloader.download(from, to: tarball)
                PackagesOutput.writeStandardError("Downloaded \(bytes) bytes from \(from).\n")
            } catch {
                PackagesOutput.error("\(from): \(error)")
                throw FHIRGateExit.inputError
            }
        }
        defer { if isURL { unlink(tarball) } }

        let result: PackageInstaller.Result
        do {
            result = try PackageInstaller(cache: cache).install(
                reference, fromTarball: tarball, expectedSHA256: sha256, replaceExisting: force)
        } catch {
            PackagesOutput.error(PackagesOutput.describe(error.issue))
            throw FHIRGateExit.inputError
        }
        for warning in result.warnings { PackagesOutput.warning(PackagesOutput.describe(warning)) }
        switch result.status {
        case .installed:
            report(
                reference, status: "installed", path: result.path, files: result.fileCount,
                text: "Installed \(reference) into \(result.path) (\(Self.files(result.fileCount))).")
        case .replaced:
            report(
                reference, status: "replaced", path: result.path, files: result.fileCount,
                text: "Replaced \(reference) in \(result.path) (\(Self.files(result.fileCount))).")
        case .alreadyInstalled:
            report(
                reference, status: "already-installed", path: result.path, files: 0,
                text: "\(reference) is already installed in \(result.path); use --force to replace it.")
        }
    }

    private static func files(_ n: Int) -> String { n == 1 ? "1 file" : "\(n) files" }

    private func report(_ reference: PackageReference, status: String, path: String, files: Int, text: String) {
        switch format {
        case .text:
            print(text)
        case .json:
            let json = JSONValue.object([
                ("package", .string(reference.description)), ("status", .string(status)), ("path", .string(path)),
                ("files", .number(files)),
            ])
            print(json.text(pretty: true), terminator: "")
        }
    }
}
