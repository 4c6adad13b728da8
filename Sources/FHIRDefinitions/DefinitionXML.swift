import FHIRJSON
import FHIRModel
import FHIRXML

/// Turns an XML definition file into the JSON form the store keeps (`JSONValue`).
public typealias DefinitionXMLConverter =
    @Sendable (_ bytes: [UInt8], _ path: String) throws(FHIRFormatError) ->
    JSONValue

/// XML support for definition files, kept in this one place.
///
/// The store reads XML definitions (in `Profiles/` or named on the command line) through a
/// ``DefinitionXMLConverter`` (``DefinitionStore/Options/xmlConverter``): the file is read with
/// ``FHIRXMLReader`` and written back as JSON with ``FHIRJSONWriter``. With no converter, XML
/// files are reported as issues (`DEF-INVALID`) and skipped; nothing else is affected.
public enum DefinitionXML {
    /// A converter using a known model.
    public static func converter(model: ModelInfo) -> DefinitionXMLConverter {
        let reader = FHIRXMLReader(model: model)
        let writer = FHIRJSONWriter(model: model)
        return { bytes, _ throws(FHIRFormatError) in
            let parsed = try reader.read(bytes)
            // Authoring tools add xsi:schemaLocation to definition files; it does not change their content.
            if let problem = parsed.issues.first(where: { $0.severity <= .error && $0.code != .xmlSchemaInstance }) {
                throw FHIRFormatError(problem)
            }
            return writer.writeValue(parsed.root)
        }
    }

    /// A converter that loads the FHIR R4 core model from the package cache on first use (only
    /// when an XML file is actually met), through ``ModelInfoLoader``.
    public static func coreConverter(packageCache: PackageCache) -> DefinitionXMLConverter {
        let loaded = Locked<DefinitionXMLConverter?>(nil)
        return { bytes, path throws(FHIRFormatError) in
            let active = try loaded.withLock { (slot) throws(FHIRFormatError) -> DefinitionXMLConverter in
                if let existing = slot { return existing }
                let model: ModelInfo
                do throws(ModelInfoLoader.LoadError) {
                    model = try ModelInfoLoader.loadCore(packageCacheRoot: packageCache.root).model
                } catch {
                    throw FHIRFormatError(
                        .definitionInvalid,
                        "XML definitions need the FHIR R4 core package (\(PackageReference.r4Core)) in the package cache: \(error.message)"
                    )
                }
                let made = DefinitionXML.converter(model: model)
                slot = made
                return made
            }
            return try active(bytes, path)
        }
    }

    /// Whether a file name looks like an XML definition.
    static func isXMLFile(_ name: String) -> Bool {
        name.lowercased().hasSuffix(".xml")
    }

    /// Converts `bytes` with `converter`, or explains that XML is not available.
    static func convert(_ bytes: [UInt8], path: String, converter: DefinitionXMLConverter?) throws(FHIRFormatError)
        -> JSONValue
    {
        guard let converter else {
            throw FHIRFormatError(
                .definitionInvalid, "XML definitions are not read in this configuration (no XML converter); use JSON")
        }
        return try converter(bytes, path)
    }
}
