import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The static checker over real expressions: every invariant of the R4 core definitions must be
/// accepted, and on the official suite exactly the tests marked `invalid="semantic"` rejected.
@Suite struct TypeCheckerCorpusTests {
    /// Core invariants that are wrong in the published R4 definitions, with the reason.
    static let knownErrata: [String: String] = [
        // `substanceExposureRisk` is a sub-extension's url, not an element of Extension; the
        // expression should use extension('substanceExposureRisk').
        "allergyintolerance-substanceExposureRisk#inv-1": "names a sub-extension as if it were an element",
        // The generic "name usable as an identifier" invariant, but R4 ChargeItemDefinition has
        // no `name` element.
        "ChargeItemDefinition#cid-0": "ChargeItemDefinition has no name element",
    ]

    /// The types an element path stands for: `Patient` -> [Patient], `Patient.contact` ->
    /// [Patient.contact], `Patient.name` -> [HumanName], `Observation.effective[x]` -> the
    /// choice's types (restricted to the ones the snapshot declares). Paths the model does not
    /// know are returned as they are (the checker then treats the context as unknown).
    static func contextTypes(path: String, declared: [String], model: ModelInfo) -> [String] {
        let parts = path.split(separator: ".").map(String.init)
        guard let root = parts.first, model.type(named: root) != nil else { return [path] }
        var current = [root]
        for (i, part) in parts.enumerated().dropFirst() {
            let name = part.hasSuffix("[x]") ? String(part.dropLast(3)) : part
            var next: [String] = []
            for type in current {
                guard let element = model.type(named: type)?.element(named: name) else { continue }
                var codes = element.types
                if i == parts.count - 1, element.backbonePath == nil {
                    let restricted = codes.filter(declared.contains)
                    if !restricted.isEmpty { codes = restricted }
                }
                for code in codes {
                    let resolved = model.childSummary(of: element, type: code)?.name ?? code
                    if !next.contains(resolved) { next.append(resolved) }
                }
            }
            if next.isEmpty { return [path] }
            current = next
        }
        return current
    }

    @Test func contextTypesOfElementPaths() throws {
        let model = try TestSupport.coreModel()
        #expect(Self.contextTypes(path: "Patient", declared: [], model: model) == ["Patient"])
        #expect(Self.contextTypes(path: "Patient.contact", declared: [], model: model) == ["Patient.contact"])
        #expect(Self.contextTypes(path: "Patient.name", declared: ["HumanName"], model: model) == ["HumanName"])
        #expect(
            Self.contextTypes(path: "Observation.effective[x]", declared: ["dateTime", "Period"], model: model)
                == ["dateTime", "Period"])
        #expect(
            Self.contextTypes(path: "TestScript.test.action.assert", declared: [], model: model)
                == ["TestScript.setup.action.assert"])
    }

    @Test func everyCoreInvariantIsAccepted() throws {
        let model = try TestSupport.coreModel()
        let folder = TestSupport.packageCacheRoot + "/hl7.fhir.r4.core#4.0.1/package"
        let files = TestSupport.files(in: folder, suffix: ".json").filter { $0.hasPrefix("StructureDefinition-") }
        #expect(files.count > 600)
        let reader = FHIRJSONReader(model: model)
        let engine = FHIRPathEngine(model: model)
        var seen = Set<String>()
        var checked = 0
        var unparsed = 0
        var errata = 0
        var unknownContexts = Set<String>()
        var failures: [String] = []
        var seconds = 0.0
        for file in files {
            let sd = try reader.read(fileAtPath: folder + "/" + file).root
            let id = sd.childValue("id") ?? file
            guard let snapshot = sd.child(named: "snapshot") else { continue }
            for element in snapshot.children(named: "element") {
                guard let path = element.childValue("path") else { continue }
                let declared = element.children(named: "type").compactMap { $0.childValue("code") }
                let context = Self.contextTypes(path: path, declared: declared, model: model)
                if context == [path] && model.type(named: path) == nil { unknownContexts.insert(path) }
                for constraint in element.children(named: "constraint") {
                    guard let text = constraint.childValue("expression") else { continue }
                    let key = constraint.childValue("key") ?? "?"
                    guard seen.insert(context.joined(separator: ",") + "|" + text).inserted else { continue }
                    guard let expression = try? FHIRPathParser.parse(text) else {
                        unparsed += 1
                        continue
                    }
                    let start = Self.now()
                    do throws(FHIRPathError) {
                        try engine.check(expression, contextTypes: context)
                        checked += 1
                    } catch {
                        if Self.knownErrata[id + "#" + key] != nil {
                            errata += 1
                        } else {
                            failures.append("\(id) \(path) \(key) [\(context.joined(separator: ","))]: \(error)")
                        }
                    }
                    seconds += Self.now() - start
                }
            }
        }
        print(
            "core invariants: \(checked) distinct (context, expression) pairs accepted, \(errata) known errata, "
                + "\(unparsed) unparsable, \(unknownContexts.count) unknown contexts (logical models, primitive values) "
                + "\(Set(unknownContexts.map { $0.split(separator: ".").first ?? "" }).sorted()); checking took \(Int(seconds * 1000)) ms"
        )
        for failure in failures.prefix(30) { print("  " + failure) }
        #expect(failures.isEmpty)
        #expect(errata == Self.knownErrata.count)
        #expect(checked > 500)
        // Checking is cheap: well under a millisecond per expression, even in a debug build.
        #expect(seconds / Double(max(checked, 1)) < 0.001)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The resource type at the root of a suite input file (XML or JSON), by a light scan.
    static func rootType(of path: String) throws -> String? {
        let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
        if path.hasSuffix(".json") {
            guard let key = text.range(of: "\"resourceType\"") else { return nil }
            let rest = text[key.upperBound...]
            guard let open = rest.firstIndex(of: "\""),
                let close = rest[rest.index(after: open)...].firstIndex(of: "\"")
            else { return nil }
            return String(rest[rest.index(after: open)..<close])
        }
        var rest = text[...]
        while let lt = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: lt)...]
            guard let first = rest.first, first != "?", first != "!" else { continue }
            return String(rest.prefix { $0.isLetter || $0.isNumber })
        }
        return nil
    }

    @Test func officialSuiteSemanticTests() throws {
        guard let folder = TestSupport.sharedPath("corpora/fhirpath") else {
            print("skipping: ../shared/corpora/fhirpath is absent")
            return
        }
        let engine = FHIRPathEngine(model: try TestSupport.coreModel())
        let xml = FHIRPathSuiteExtractor.removingComments(
            String(decoding: try FileBytes.read(folder + "/tests-fhir-r4.xml"), as: UTF8.self))
        var rootTypes: [String: String] = [:]
        var rejected = 0
        var accepted = 0
        var failures: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<test ") {
            rest = rest[open.upperBound...]
            guard let tagEnd = rest.firstIndex(of: ">"), let close = rest.range(of: "</test>") else { break }
            let tag = rest[..<tagEnd]
            let body = rest[rest.index(after: tagEnd)..<close.lowerBound]
            rest = rest[close.upperBound...]
            guard let input = FHIRPathSuiteExtractor.attribute("inputfile", in: tag),
                let exprOpen = body.range(of: "<expression"),
                let exprTagEnd = body[exprOpen.upperBound...].firstIndex(of: ">"),
                let exprClose = body.range(of: "</expression>")
            else { continue }
            let name = FHIRPathSuiteExtractor.attribute("name", in: tag) ?? "?"
            let invalid = FHIRPathSuiteExtractor.attribute("invalid", in: body[exprOpen.upperBound..<exprTagEnd])
            let text = FHIRPathSuiteExtractor.decodeEntities(body[body.index(after: exprTagEnd)..<exprClose.lowerBound])
            let ordered = FHIRPathSuiteExtractor.attribute("checkOrderedFunctions", in: tag) == "true"
            if rootTypes[input] == nil { rootTypes[input] = try Self.rootType(of: folder + "/" + input) ?? "" }
            guard let context = rootTypes[input], !context.isEmpty,
                let expression = try? FHIRPathParser.parse(text)
            else { continue }
            do throws(FHIRPathError) {
                try engine.check(
                    expression, contextTypes: [context],
                    options: FHIRPathCheckOptions(checkOrderedFunctions: ordered))
                if invalid == "semantic" {
                    failures.append("\(name): accepted, but the suite expects a semantic error")
                } else {
                    accepted += 1
                }
            } catch {
                if invalid == "semantic" {
                    rejected += 1
                } else {
                    failures.append("\(name) (\(text)): \(error)")
                }
            }
        }
        print("official suite: \(rejected) semantic tests rejected, \(accepted) other tests accepted")
        for failure in failures { print("  " + failure) }
        #expect(failures.isEmpty)
        #expect(rejected == 12)
        #expect(accepted > 800)
    }
}
