import FHIRGate
import FHIRGateTesting
import Testing

/// Helpers for the XML tests: the core model, fixture files, and small readers.
enum XMLTest {
    static let fixtures: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Fixtures"
    }()

    static func fixture(_ relative: String) throws -> [UInt8] {
        try FileBytes.read(fixtures + "/" + relative)
    }

    static func fixtureNames(_ folder: String) -> [String] {
        TestSupport.files(in: fixtures + "/" + folder, suffix: ".xml")
    }

    static func reader() throws -> FHIRXMLReader { FHIRXMLReader(model: try TestSupport.coreModel()) }

    static func read(_ xml: String) throws -> ParsedResource { try reader().read(xml) }

    /// Wraps resource content in a FHIR root element.
    static func resource(_ type: String, _ body: String) -> String {
        "<\(type) xmlns=\"http://hl7.org/fhir\">\(body)</\(type)>"
    }

    /// Reads XML and returns the FHIR JSON of the tree as a value.
    static func json(_ xml: String) throws -> JSONValue {
        let model = try TestSupport.coreModel()
        let parsed = try FHIRXMLReader(model: model).read(xml)
        return try JSONValue.parse(FHIRJSONWriter(model: model).write(parsed.root))
    }

    static var hasModel: Bool { TestSupport.hasCorePackage }
}

extension ElementNode {
    /// Follows a path of child names (`name`, `given`) through first matches.
    func at(_ names: String...) -> ElementNode? {
        var node: ElementNode? = self
        for name in names { node = node?.child(named: name) }
        return node
    }
}
