import FHIRJSON
import FHIRModel
import Foundation

/// Writes a `.index.json` (index-version 1, as the HL7 validator and Firely tools do) for a
/// package that ships without one, so later loads need not parse every file.
enum PackageIndexWriter {
    /// Indexes the top-level `*.json` resources of `contentDirectory` and writes the index there.
    /// Returns the number of files indexed; files that are not FHIR resources are left out.
    @discardableResult
    static func writeIndex(contentDirectory: String) throws(PackageError) -> Int {
        let names = FileSystem.list(contentDirectory).filter { name in
            name.lowercased().hasSuffix(".json") && !name.hasPrefix(".") && name != "package.json"
                && FileSystem.isFile(FileSystem.join(contentDirectory, name))
        }
        let lines = Locked([String?](repeating: nil, count: names.count))
        DispatchQueue.concurrentPerform(iterations: names.count) { i in
            let path = FileSystem.join(contentDirectory, names[i])
            guard let json = try? DefinitionIndexer.readFile(path, xmlConverter: nil),
                let resourceType = json["resourceType"]?.stringValue
            else { return }
            var fields: [(String, JSONValue)] = [
                ("filename", .string(names[i])), ("resourceType", .string(resourceType)),
            ]
            for key in ["id", "url", "version", "kind", "type"] {
                if let value = json[key]?.stringValue { fields.append((key, .string(value))) }
            }
            let line = "    " + JSONValue.object(fields).text()
            lines.withLock { $0[i] = line }
        }
        let entries = lines.withLock { $0 }.compactMap { $0 }
        let text = "{\n  \"index-version\": 1,\n  \"files\": [\n" + entries.joined(separator: ",\n") + "\n  ]\n}\n"
        do {
            try FileBytes.writeAtomically(Array(text.utf8), to: FileSystem.join(contentDirectory, ".index.json"))
        } catch {
            throw PackageError(.ioRead, "cannot write the package index: \(error.reason)", file: contentDirectory)
        }
        return entries.count
    }
}
