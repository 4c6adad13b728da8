import FHIRGate
import FHIRGateTesting
import FHIRModel
import Testing

/// Definitions for the clinic's own package: R4 core, `Profiles/`, and (when ../shared has it)
/// US Core 3.1.0, so that instances can be checked against both.
enum ClinicProfileDefinitions {
    static let profilesFolder = TestSupport.repoRoot + "/Profiles"

    static let context: ValidationContext? = {
        guard TestSupport.hasCorePackage, let model = try? TestSupport.coreModel() else { return nil }
        var extra = [profilesFolder]
        if let usCore = USCoreDefinitions.packageFolder { extra.append(usCore) }
        let store = DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                extraPaths: extra))
        return ValidationContext(model: model, store: store)
    }()

    static func validate(_ path: String, profiles: [String] = []) throws -> [FHIRModel.Issue] {
        let context = try #require(context)
        let parsed = try ResourceConverter(model: context.model).read(try FileBytes.read(path), as: .json)
        return parsed.issues + Validator(context: context).validate(parsed.root, profiles: profiles)
    }

    static func describe(_ issues: [FHIRModel.Issue]) -> String {
        issues.map { "\($0.code.rawValue) \($0.path ?? "") \($0.message)" }.joined(separator: "\n")
    }
}

/// The clinic's FHIR package (`Profiles/`): every resource in it is valid, every profile has an
/// example instance that conforms to it (and to US Core 3.1.0 where US Core has a profile), and
/// each broken twin in `broken/` gives exactly the errors its README table lists.
@Suite(
    .enabled(if: ClinicProfileDefinitions.context != nil, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
struct ClinicProfilesTests {
    static let fixtures = TestSupport.repoRoot + "/Tests/ConformanceTests/Fixtures/clinic-profiles"
    static let canonical = "https://fhirgate.dev/fhir/StructureDefinition/"
    static let usCore = "http://hl7.org/fhir/us/core/StructureDefinition/"

    /// Rows of a Markdown table in a fixtures README: the cells of each row whose first cell
    /// names a file (`` `name.json` ``), backquotes removed.
    static func tableRows(_ readme: String) -> [[String]] {
        guard let bytes = try? FileBytes.read(readme) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| `") else { return nil }
            return line.split(separator: "|").map { cell in
                String(cell.filter { $0 != "`" }).trimmedOfSpaces
            }
        }
    }

    struct Example: CustomTestStringConvertible, Sendable {
        var file: String
        var profile: String
        /// The US Core 3.1.0 profile id it must also satisfy, if any.
        var usCore: String?
        var testDescription: String { file }
    }

    struct Broken: CustomTestStringConvertible, Sendable {
        var file: String
        var profile: String
        var errors: Int
        var codes: Set<String>
        var testDescription: String { file }
    }

    static let examples: [Example] = tableRows(fixtures + "/README.md").compactMap { cells in
        guard cells.count >= 4, cells[0].hasSuffix(".json") else { return nil }
        return Example(file: cells[0], profile: cells[2], usCore: cells[3] == "-" ? nil : cells[3])
    }

    static let broken: [Broken] = tableRows(fixtures + "/broken/README.md").compactMap { cells in
        guard cells.count >= 5, cells[0].hasSuffix(".json"), let errors = Int(cells[3]) else { return nil }
        let codes = cells[4].split(separator: ",").map { String($0).trimmedOfSpaces }
        return Broken(file: cells[0], profile: canonical + cells[1], errors: errors, codes: Set(codes))
    }

    @Test func theFixtureTablesListEveryFile() {
        let exampleFiles = TestSupport.files(in: Self.fixtures, suffix: ".json")
        let brokenFiles = TestSupport.files(in: Self.fixtures + "/broken", suffix: ".json")
        #expect(Set(Self.examples.map(\.file)) == Set(exampleFiles))
        #expect(Set(Self.broken.map(\.file)) == Set(brokenFiles))
        #expect(Self.examples.count >= 20 && Self.broken.count >= 25)
    }

    @Test func everyResourceOfThePackageIsValid() throws {
        let files = TestSupport.files(in: ClinicProfileDefinitions.profilesFolder, suffix: ".json")
            .filter { $0 != "package.json" }
        #expect(files.count >= 30)
        for file in files {
            let errors = try ClinicProfileDefinitions.validate(ClinicProfileDefinitions.profilesFolder + "/" + file)
                .filter { $0.severity <= .error }
            #expect(errors.isEmpty, "\(file):\n\(ClinicProfileDefinitions.describe(errors))")
        }
    }

    @Test(arguments: examples)
    func exampleConformsToItsProfile(_ example: Example) throws {
        let path = Self.fixtures + "/" + example.file
        for profiles in [[], [example.profile]] {
            let errors = try ClinicProfileDefinitions.validate(path, profiles: profiles).filter {
                $0.severity <= .error
            }
            #expect(errors.isEmpty, "\(profiles):\n\(ClinicProfileDefinitions.describe(errors))")
        }
        guard let usCore = example.usCore else { return }
        try #require(USCoreDefinitions.packageFolder != nil, "US Core 3.1.0 is not in ../shared/packages")
        let errors = try ClinicProfileDefinitions.validate(path, profiles: [Self.usCore + usCore])
            .filter { $0.severity <= .error }
        #expect(errors.isEmpty, "\(usCore):\n\(ClinicProfileDefinitions.describe(errors))")
    }

    @Test(arguments: broken)
    func brokenTwinGivesExactlyItsErrors(_ broken: Broken) throws {
        let path = Self.fixtures + "/broken/" + broken.file
        for profiles in [[], [broken.profile]] {
            let errors = try ClinicProfileDefinitions.validate(path, profiles: profiles).filter {
                $0.severity <= .error
            }
            #expect(errors.count == broken.errors, "\(profiles):\n\(ClinicProfileDefinitions.describe(errors))")
            #expect(Set(errors.map(\.code.rawValue)) == broken.codes)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmedOfSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
