import FHIRJSON
import FHIRModel
import FHIRXML

extension TargetCapabilities {
    /// The capabilities a CapabilityStatement states: every `rest` entry with mode `server`,
    /// its `resource` entries (`type`, `interaction.code`, `updateCreate`, `conditionalCreate`,
    /// `conditionalUpdate`, `supportedProfile`, `searchParam.name`) and its whole-system
    /// `interaction.code`s. Types listed twice are merged.
    public init(capabilityStatement root: ElementNode) throws(TargetCapabilityError) {
        guard root.isResource, root.typeName == "CapabilityStatement" else {
            throw .notACapabilityStatement(found: root.resourceType)
        }
        let servers = root.children(named: "rest").filter { $0.childValue("mode") == "server" }
        guard !servers.isEmpty else { throw .noServerRest }
        self.init(resources: [])
        var index = 0
        for rest in servers {
            for interaction in rest.children(named: "interaction") {
                if let code = interaction.childValue("code") { systemInteractions.insert(code) }
            }
            for entry in rest.children(named: "resource") {
                defer { index += 1 }
                guard let type = entry.childValue("type"), !type.isEmpty else {
                    throw .resourceWithoutType(index: index)
                }
                add(
                    ResourceCapability(
                        type: type,
                        interactions: Set(entry.children(named: "interaction").compactMap { $0.childValue("code") }),
                        updateCreate: entry.childValue("updateCreate") == "true",
                        conditionalCreate: entry.childValue("conditionalCreate") == "true",
                        conditionalUpdate: entry.childValue("conditionalUpdate") == "true",
                        supportedProfiles: entry.children(named: "supportedProfile").compactMap(\.value),
                        searchParams: entry.children(named: "searchParam").compactMap { $0.childValue("name") }))
            }
        }
    }

    /// Reads a CapabilityStatement file (FHIR JSON, or FHIR XML when the name ends in `.xml`).
    public static func load(file: String, model: ModelInfo) throws(TargetCapabilityError) -> TargetCapabilities {
        let parsed: ParsedResource
        do {
            parsed = try read(file: file, model: model)
        } catch {
            throw .unreadable(file: file, reason: error.issue.message)
        }
        if let problem = parsed.issues.first(where: { $0.severity <= .error }) {
            throw .unreadable(file: file, reason: problem.code.rawValue + " at " + (problem.path ?? "?"))
        }
        return try TargetCapabilities(capabilityStatement: parsed.root)
    }

    /// The largest statement read (real ones are well under a megabyte).
    static let maxFileBytes = 16 << 20

    private static func read(file: String, model: ModelInfo) throws(FHIRFormatError) -> ParsedResource {
        guard file.hasSuffix(".xml") else {
            var reader = FHIRJSONReader(model: model)
            reader.limits.maxBytes = maxFileBytes
            return try reader.read(fileAtPath: file)
        }
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(file, maxBytes: maxFileBytes)
        } catch {
            throw FHIRFormatError(.ioRead, "cannot read the file: \(error.reason)")
        }
        return try FHIRXMLReader(model: model).read(bytes)
    }
}
