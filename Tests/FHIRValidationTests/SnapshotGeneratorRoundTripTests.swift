import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Foundation
import Testing

@testable import FHIRValidation

/// Published profiles regenerated from their differentials and compared with their published
/// snapshots, element by element.
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs the FHIR R4 core package"))
struct SnapshotGeneratorRoundTripTests {
    /// Committed minimum share (per mille) of published snapshot elements regenerated exactly.
    static let coreMinimumPerMille = 995
    static let usCoreMinimumPerMille = 980

    @Test func coreProfilesRegenerate() throws {
        let model = try TestSupport.coreModel()
        let store = TestSupport.coreStore
        let catalog = ProfileCatalog(store: store, model: model)
        var tally = RoundTripTally()
        for entry in store.allEntries(ofType: "StructureDefinition") {
            guard let json = store.load(entry), json["derivation"]?.stringValue == "constraint",
                json["snapshot"] != nil
            else { continue }
            tally.add(json, catalog: catalog)
        }
        tally.print(label: "core")
        #expect(tally.profiles >= 430)
        #expect(tally.matched * 1000 >= tally.elements * Self.coreMinimumPerMille, "\(tally.summary)")
        #expect(tally.profilesWithErrors.isEmpty, "\(tally.profilesWithErrors.prefix(10))")
    }

    @Test func usCoreProfilesRegenerate() throws {
        guard let usCore = TestSupport.sharedPath("packages/hl7.fhir.us.core#3.1.0/package") else {
            print("SKIPPED usCoreProfilesRegenerate: ../shared/packages/hl7.fhir.us.core#3.1.0 is absent")
            return
        }
        let model = try TestSupport.coreModel()
        let store = DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                extraPaths: [usCore]))
        let catalog = ProfileCatalog(store: store, model: model)
        var tally = RoundTripTally()
        for url in store.urls(ofType: "StructureDefinition") where url.hasPrefix("http://hl7.org/fhir/us/core/") {
            guard let json = store.structureDefinition(url: url), json["snapshot"] != nil else { continue }
            tally.add(json, catalog: catalog)
        }
        tally.print(label: "US Core")
        #expect(tally.profiles == 29)
        #expect(tally.matched * 1000 >= tally.elements * Self.usCoreMinimumPerMille, "\(tally.summary)")
        #expect(tally.profilesWithErrors.isEmpty, "\(tally.profilesWithErrors)")
    }
}

/// Counts of a round trip over a set of profiles.
struct RoundTripTally {
    var profiles = 0
    var exactProfiles = 0
    /// Elements of the published snapshots, and how many were regenerated with the same signature.
    var elements = 0
    var matched = 0
    /// Generated elements the published snapshot does not have.
    var extra = 0
    var profilesWithErrors: [String] = []
    var mismatches: [String] = []

    var summary: String {
        "profiles \(exactProfiles)/\(profiles) exact, elements \(matched)/\(elements), extra \(extra), "
            + "profiles with errors \(profilesWithErrors.count)"
    }

    mutating func add(_ json: JSONValue, catalog: ProfileCatalog) {
        var definition = StructureDefinitionInfo(json: json)
        guard let published = definition.snapshot else { return }
        definition.snapshot = nil
        let result = SnapshotGenerator(catalog: catalog).generate(definition)
        profiles += 1
        let errors = result.issues.filter { $0.severity <= .error }
        if !errors.isEmpty { profilesWithErrors.append("\(definition.url): \(errors.map(\.message))") }
        let expected = SnapshotSignature.normalized(published.map(\.raw))
        let generated = Dictionary(
            SnapshotSignature.normalized(result.elements), uniquingKeysWith: { a, _ in a })
        var exact = errors.isEmpty
        for (id, signature) in expected {
            elements += 1
            if generated[id] == signature {
                matched += 1
            } else {
                exact = false
                mismatches.append(
                    "\(definition.url) \(id)\n   expected \(signature)\n   got      \(generated[id].map(\.description) ?? "(none)")"
                )
            }
        }
        let expectedIDs = Set(expected.map(\.0))
        let extras = generated.keys.filter { !expectedIDs.contains($0) }
        extra += extras.count
        if !extras.isEmpty {
            exact = false
            mismatches.append("\(definition.url) extra: \(extras.sorted().prefix(5))")
        }
        if exact { exactProfiles += 1 }
    }

    func print(label: String) {
        Swift.print("snapshot round trip \(label): \(summary)")
        let all = ProcessInfo.processInfo.environment["FHIRGATE_SNAPSHOT_DETAILS"] != nil
        for line in mismatches.prefix(all ? Int.max : 12) { Swift.print("  " + line) }
        for line in profilesWithErrors.prefix(5) { Swift.print("  error: " + line) }
    }
}

/// What the round trip compares for one element.
struct SnapshotSignature: Equatable, CustomStringConvertible {
    var path: String
    var sliceName: String?
    var min: String
    var max: String
    var types: [String]
    var fixed: String?
    var pattern: String?
    var binding: String?
    var constraintKeys: [String]
    var slicing: String?
    var mustSupport: Bool

    init(_ json: JSONValue) {
        let o = json.objectValue ?? JSONObject()
        path = o["path"]?.stringValue ?? ""
        sliceName = o["sliceName"]?.stringValue
        if case .number(let n)? = o["min"] { min = n } else { min = "-" }
        max = o["max"]?.stringValue ?? "-"
        types = (o["type"]?.arrayValue ?? []).map { t in
            let code = ElementDefinitionInfo.typeCode(t) ?? "?"
            let profiles = (t["profile"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            let targets = (t["targetProfile"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            return code + (profiles.isEmpty ? "" : "(\(profiles.joined(separator: ",")))")
                + (targets.isEmpty ? "" : "->(\(targets.joined(separator: ",")))")
        }
        fixed = o.keys.first { $0.hasPrefix("fixed") }
        pattern = o.keys.first { $0.hasPrefix("pattern") }
        binding = o["binding"].map { b in
            (b["strength"]?.stringValue ?? "?") + " " + (b["valueSet"]?.stringValue ?? "-")
        }
        constraintKeys = (o["constraint"]?.arrayValue ?? []).compactMap { $0["key"]?.stringValue }.sorted()
        slicing = o["slicing"].map { s in
            let discriminators = (s["discriminator"]?.arrayValue ?? []).map {
                ($0["type"]?.stringValue ?? "?") + ":" + ($0["path"]?.stringValue ?? "?")
            }
            return discriminators.joined(separator: ",") + " " + (s["rules"]?.stringValue ?? "open")
        }
        mustSupport = o["mustSupport"]?.boolValue ?? false
    }

    var description: String {
        "\(path)\(sliceName.map { ":" + $0 } ?? "") \(min)..\(max) \(types) fixed=\(fixed ?? "-") "
            + "pattern=\(pattern ?? "-") binding=\(binding ?? "-") constraints=\(constraintKeys) "
            + "slicing=\(slicing ?? "-") mustSupport=\(mustSupport)"
    }

    static func id(of json: JSONValue) -> String {
        json["id"]?.stringValue ?? json["path"]?.stringValue ?? ""
    }

    /// The elements by id, with a type slice for a single renamed choice (`value[x]` +
    /// `value[x]:valueQuantity`, as the R4 tools emit it) folded into the choice element, the form
    /// the generator emits for a profile that renames the choice itself (it keeps the slice form
    /// it inherits from a base snapshot).
    static func normalized(_ published: [JSONValue]) -> [(String, SnapshotSignature)] {
        var list = published.map { (id(of: $0), SnapshotSignature($0)) }
        var folds: [(choice: String, slice: String)] = []
        for (sliceID, signature) in list {
            guard let name = signature.sliceName, signature.path.hasSuffix("[x]"),
                let stem = signature.path.split(separator: ".").last?.dropLast(3), name.hasPrefix(stem),
                name.count > stem.count, name.dropFirst(stem.count).first?.isUppercase == true
            else { continue }
            let choiceID = String(sliceID.dropLast(name.count + 1))
            let siblings = list.filter {
                $0.0.hasPrefix(choiceID + ":") && !$0.0.dropFirst(choiceID.count + 1).contains(".")
            }
            if siblings.count == 1 { folds.append((choiceID, sliceID)) }
        }
        for (choiceID, sliceID) in folds {
            guard let s = list.first(where: { $0.0 == sliceID })?.1,
                let c = list.firstIndex(where: { $0.0 == choiceID })
            else { continue }
            var folded = s
            folded.sliceName = nil
            list[c].1 = folded
            list.removeAll { $0.0 == sliceID }
            list = list.map { ($0.0.hasPrefix(sliceID + ".") ? choiceID + $0.0.dropFirst(sliceID.count) : $0.0, $0.1) }
        }
        return list
    }
}
