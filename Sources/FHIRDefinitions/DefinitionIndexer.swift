import FHIRJSON
import FHIRModel
import Foundation

/// Builds the entries of one definition source: a package (from its `.index.json`, or by
/// scanning its files), a folder, or a single file.
enum DefinitionIndexer {
    struct Result {
        var entries: [DefinitionEntry] = []
        /// Resources already parsed while scanning, by position in `entries`.
        var preloaded: [Int: JSONValue] = [:]
        var issues: [Issue] = []
        var usedIndexFile = false
    }

    /// Largest definition file read.
    static let maxFileBytes = 256 << 20
    /// Limits for scanning folders.
    static let maxScanDepth = 16
    static let maxScanFiles = 100_000

    // MARK: Packages

    /// Indexes the files of an installed package (`<id>#<version>/package`): from `.index.json`
    /// when present and readable, else by parsing every top-level `*.json` file.
    static func indexPackage(contentDirectory: String, source: Int) -> Result {
        let indexPath = FileSystem.join(contentDirectory, ".index.json")
        if FileSystem.isFile(indexPath) {
            let (entries, problem) = readIndexFile(indexPath, contentDirectory: contentDirectory, source: source)
            if let entries {
                var result = Result(entries: entries)
                result.usedIndexFile = true
                return result
            }
            var result = scanPackage(contentDirectory, source: source)
            if let problem { result.issues.insert(problem, at: 0) }
            return result
        }
        return scanPackage(contentDirectory, source: source)
    }

    private static func readIndexFile(_ path: String, contentDirectory: String, source: Int)
        -> (entries: [DefinitionEntry]?, problem: Issue?)
    {
        let records: [PackageIndexReader.Record]
        do {
            records = try PackageIndexReader.read(FileSystem.readFile(path, maxBytes: maxFileBytes))
        } catch {
            return (
                nil,
                Issue(
                    .warning, .packageInvalid,
                    "package index cannot be read (\(error.issue.message)); scanning the files instead", file: path)
            )
        }
        var entries: [DefinitionEntry] = []
        entries.reserveCapacity(records.count)
        for record in records {
            guard let name = record.filename, isPlainFileName(name), let resourceType = record.resourceType,
                let url = record.url, !url.isEmpty
            else { continue }
            entries.append(
                DefinitionEntry(
                    resourceType: resourceType, id: record.id, url: url, version: record.version, kind: record.kind,
                    type: record.type, file: FileSystem.join(contentDirectory, name), source: source))
        }
        return (entries, nil)
    }

    /// A file name from an index must name a file directly in the package folder.
    private static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.utf8.contains(where: { $0 == 0x2F || $0 == 0x5C }) && name != "." && name != ".."
    }

    private static func scanPackage(_ directory: String, source: Int) -> Result {
        let files = FileSystem.list(directory).filter { name in
            name.lowercased().hasSuffix(".json") && !name.hasPrefix(".") && name != "package.json"
                && FileSystem.isFile(FileSystem.join(directory, name))
        }.map { FileSystem.join(directory, $0) }
        // Packages can be large: do not keep the parsed resources, they load again on demand.
        return scan(files: files, source: source, keepParsed: false, xmlConverter: nil, warnNonCanonical: false)
    }

    // MARK: Folders and files

    /// Indexes JSON (and XML) files below a folder, recursively, skipping hidden names and
    /// `package.json`.
    static func indexFolder(_ directory: String, source: Int, xmlConverter: DefinitionXMLConverter?) -> Result {
        var files: [String] = []
        var issues: [Issue] = []
        collect(directory, depth: 0, into: &files, issues: &issues)
        var result = scan(
            files: files, source: source, keepParsed: true, xmlConverter: xmlConverter, warnNonCanonical: false)
        result.issues.insert(contentsOf: issues, at: 0)
        return result
    }

    /// Indexes one file named explicitly; a file that holds no canonical resource is reported.
    static func indexFile(_ path: String, source: Int, xmlConverter: DefinitionXMLConverter?) -> Result {
        scan(files: [path], source: source, keepParsed: true, xmlConverter: xmlConverter, warnNonCanonical: true)
    }

    private static func collect(_ directory: String, depth: Int, into files: inout [String], issues: inout [Issue]) {
        guard depth <= maxScanDepth else {
            issues.append(
                Issue(
                    .warning, .definitionInvalid, "folder nesting deeper than \(maxScanDepth); not scanned",
                    file: directory))
            return
        }
        for name in FileSystem.list(directory) where !name.hasPrefix(".") {
            let path = FileSystem.join(directory, name)
            // Folders reached through symbolic links are not followed (no cycles).
            switch FileSystem.kind(at: path, followLinks: false) {
            case .directory:
                collect(path, depth: depth + 1, into: &files, issues: &issues)
            case .file, .other:
                let lower = name.lowercased()
                guard name != "package.json", lower.hasSuffix(".json") || DefinitionXML.isXMLFile(lower),
                    FileSystem.isFile(path)
                else { continue }
                guard files.count < maxScanFiles else {
                    issues.append(
                        Issue(
                            .warning, .definitionInvalid, "more than \(maxScanFiles) files; the rest are not scanned",
                            file: directory))
                    return
                }
                files.append(path)
            case .missing:
                continue
            }
        }
    }

    // MARK: Scanning

    private struct Scanned {
        var items: [(DefinitionEntry, JSONValue)] = []
        var issue: Issue?
    }

    /// Parses files (concurrently) and makes entries for the canonical resources in them.
    private static func scan(
        files: [String], source: Int, keepParsed: Bool, xmlConverter: DefinitionXMLConverter?, warnNonCanonical: Bool
    ) -> Result {
        let outcomes = Locked([Scanned?](repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            var scanned = Scanned()
            do throws(FHIRFormatError) {
                let json = try readFile(files[i], xmlConverter: xmlConverter)
                scanned.items = canonicalResources(in: json, file: files[i], source: source)
                if scanned.items.isEmpty && warnNonCanonical {
                    scanned.issue = Issue(
                        .warning, .definitionInvalid,
                        "the file holds no resource with a canonical url; nothing indexed",
                        file: files[i])
                }
            } catch {
                scanned.issue = Issue(
                    .warning, .definitionInvalid, "cannot read definition: \(error.issue.message)",
                    position: error.issue.position, file: files[i])
            }
            outcomes.withLock { $0[i] = scanned }
        }
        var result = Result()
        for outcome in outcomes.withLock({ $0 }) {
            guard let outcome else { continue }
            if let issue = outcome.issue { result.issues.append(issue) }
            for (entry, json) in outcome.items {
                if keepParsed { result.preloaded[result.entries.count] = json }
                result.entries.append(entry)
            }
        }
        return result
    }

    /// The canonical resources in a parsed file: the resource itself, or the entries of a Bundle.
    static func canonicalResources(in json: JSONValue, file: String, source: Int) -> [(DefinitionEntry, JSONValue)] {
        guard let resourceType = json["resourceType"]?.stringValue else { return [] }
        if resourceType == "Bundle" {
            var out: [(DefinitionEntry, JSONValue)] = []
            for (i, item) in (json["entry"]?.arrayValue ?? []).enumerated() {
                guard let resource = item["resource"],
                    let entry = makeEntry(resource, file: file, bundleEntry: i, source: source)
                else { continue }
                out.append((entry, resource))
            }
            return out
        }
        guard let entry = makeEntry(json, file: file, bundleEntry: nil, source: source) else { return [] }
        return [(entry, json)]
    }

    private static func makeEntry(_ json: JSONValue, file: String, bundleEntry: Int?, source: Int) -> DefinitionEntry? {
        guard let resourceType = json["resourceType"]?.stringValue, let url = json["url"]?.stringValue, !url.isEmpty
        else { return nil }
        let type: String?
        switch resourceType {
        case "StructureDefinition", "SearchParameter": type = json["type"]?.stringValue
        default: type = nil
        }
        let kind = resourceType == "StructureDefinition" ? json["kind"]?.stringValue : nil
        return DefinitionEntry(
            resourceType: resourceType, id: json["id"]?.stringValue, url: url, version: json["version"]?.stringValue,
            kind: kind, type: type, file: file, bundleEntry: bundleEntry, source: source)
    }

    // MARK: Reading

    /// Reads and parses a definition file (JSON, or XML through the converter).
    static func readFile(_ path: String, xmlConverter: DefinitionXMLConverter?) throws(FHIRFormatError) -> JSONValue {
        let bytes = try FileSystem.readFile(path, maxBytes: maxFileBytes)
        if DefinitionXML.isXMLFile(path) {
            return try DefinitionXML.convert(bytes, path: path, converter: xmlConverter)
        }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(FHIRFormatError) -> JSONValue in
            try JSONValue.parse(buffer: buffer, limits: .default)
        }
    }

    /// Loads the resource an entry describes.
    static func load(_ entry: DefinitionEntry, xmlConverter: DefinitionXMLConverter?) throws(FHIRFormatError)
        -> JSONValue
    {
        let json = try readFile(entry.file, xmlConverter: xmlConverter)
        if let index = entry.bundleEntry {
            guard let entries = json["entry"]?.arrayValue, index < entries.count,
                let resource = entries[index]["resource"]
            else { throw FHIRFormatError(.definitionInvalid, "the Bundle entry no longer exists") }
            return resource
        }
        return json
    }
}
