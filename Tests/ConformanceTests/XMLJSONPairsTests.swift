import FHIRGate
import FHIRGateTesting
import Testing

/// For each NAME.xml of the official XML/JSON pairs: XML -> tree -> JSON must equal NAME.json as
/// JSON values (narrative `div`s compared as XML). Mismatches must be listed, with a reason, in
/// Fixtures/xml-json-pairs-known-mismatches.txt.
@Suite(.serialized)
struct XMLJSONPairsTests {
    static let pairsFolder = TestSupport.sharedPath("corpora/xml-json-pairs")

    /// `name.xml  reason` lines (`#` comments) of the known-mismatch list.
    static func knownMismatches() -> [String: String] {
        let path = TestSupport.repoRoot + "/Tests/ConformanceTests/Fixtures/xml-json-pairs-known-mismatches.txt"
        guard let bytes = try? FileBytes.read(path) else { return [:] }
        var known: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let parts = trimmed.split(separator: " ", maxSplits: 1)
            known[String(parts[0])] = parts.count > 1 ? String(parts[1]).trimmingSpaces : ""
        }
        return known
    }

    @Test(
        .enabled(if: pairsFolder != nil && TestSupport.hasCorePackage, "needs ../shared pairs and the R4 core package"))
    func xmlReadsAsTheMatchingJSON() throws {
        guard let folder = Self.pairsFolder else { return }
        let model = try TestSupport.coreModel()
        let xmlReader = FHIRXMLReader(model: model)
        let jsonWriter = FHIRJSONWriter(model: model)
        let known = Self.knownMismatches()
        let names = TestSupport.files(in: folder, suffix: ".xml").filter {
            FileBytes.exists(folder + "/" + $0.dropLast(4) + ".json")
        }
        #expect(names.count >= 400, "expected the official pairs, found \(names.count)")
        var passed = 0
        var unlisted: [String] = []
        var stale: [String] = []
        var wrongReason: [String] = []
        for name in names {
            var difference: String?
            do {
                let parsed = try xmlReader.read(try FileBytes.read(folder + "/" + name))
                let expected = try JSONValue.parse(try FileBytes.read(folder + "/" + name.dropLast(4) + ".json"))
                let actual = try JSONValue.parse(jsonWriter.write(parsed.root))
                difference = JSONComparison.firstDifference(expected, actual)
                let errors = parsed.issues.filter { $0.severity <= .error }
                if difference == nil, !errors.isEmpty {
                    difference = "reader issues: \(errors.prefix(3).map(\.description))"
                }
            } catch {
                difference = "\(error)"
            }
            if let difference {
                if let reason = known[name] {
                    if reason.hasPrefix("narrative-whitespace:"),
                        !(try Self.sameUpToNarrativeWhitespace(folder, name, xmlReader, jsonWriter))
                    {
                        wrongReason.append(name)
                    }
                } else {
                    unlisted.append("\(name): \(difference)")
                }
            } else {
                passed += 1
                if known[name] != nil { stale.append(name) }
            }
        }
        print("xml-json pairs: \(passed)/\(names.count)")
        for line in unlisted.prefix(30) { print("xml-json pairs mismatch: \(line)") }
        #expect(passed >= (try JSONComparison.threshold("xmlJsonPairs")))
        #expect(unlisted.count == 0, "mismatches not in xml-json-pairs-known-mismatches.txt: \(unlisted.prefix(10))")
        #expect(stale.isEmpty, "listed as known mismatches but now pass: \(stale)")
        #expect(
            wrongReason.isEmpty, "listed as narrative-whitespace but differ in more than whitespace: \(wrongReason)")
    }

    /// Whether the XML reads as the JSON when narratives are compared ignoring whitespace layout.
    static func sameUpToNarrativeWhitespace(
        _ folder: String, _ name: String, _ reader: FHIRXMLReader, _ writer: FHIRJSONWriter
    ) throws -> Bool {
        let parsed = try reader.read(try FileBytes.read(folder + "/" + name))
        let expected = try JSONValue.parse(try FileBytes.read(folder + "/" + name.dropLast(4) + ".json"))
        let actual = try JSONValue.parse(writer.write(parsed.root))
        return JSONComparison.firstDifference(expected, actual, looseNarratives: true) == nil
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
