import FHIRDefinitions
import FHIRGateTesting
import FHIRModel
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("ModelInfo from the R4 core package", .enabled(if: TestSupport.hasCorePackage))
struct ModelInfoBuilderTests {
    @Test("knows resources, complex types and primitives with their kinds")
    func kinds() throws {
        let model = try TestSupport.coreModel()
        #expect(model.isResourceType("Patient"))
        #expect(model.isResourceType("Bundle"))
        #expect(!model.isResourceType("DomainResource"))
        #expect(!model.isResourceType("Quantity"))
        #expect(model.isPrimitiveType("decimal"))
        #expect(model.isPrimitiveType("xhtml"))
        #expect(model.type(named: "Quantity")?.kind == .complex)
        #expect(model.isType("Patient", a: "Resource"))
        #expect(!model.isType("Quantity", a: "Resource"))
        // 145 concrete resource types in R4 (plus the abstract Resource and DomainResource).
        let concrete = model.types.filter { $0.kind == .resource && !$0.isAbstract }
        #expect(concrete.count == 146)
    }

    @Test("elements carry cardinality, choices, backbones and XML attributes")
    func elements() throws {
        let model = try TestSupport.coreModel()
        let patient = try #require(model.type(named: "Patient"))
        #expect(patient.elements.first?.name == "id")
        #expect(patient.element(named: "name")?.isArray == true)
        #expect(patient.element(named: "gender")?.isArray == false)
        #expect(patient.element(named: "gender")?.types == ["code"])
        let deceased = try #require(patient.resolve(wireName: "deceasedDateTime"))
        #expect(deceased.element.isChoice && deceased.typeCode == "dateTime")
        #expect(patient.resolve(wireName: "deceased") == nil)
        #expect(patient.element(named: "contact")?.backbonePath == "Patient.contact")
        #expect(model.type(named: "Patient.contact")?.element(named: "relationship")?.isArray == true)
        #expect(patient.element(named: "contained")?.holdsResource == true)
        let element = try #require(model.type(named: "Element"))
        #expect(element.element(named: "id")?.isXMLAttribute == true)
        #expect(patient.element(named: "id")?.isXMLAttribute == false)
        #expect(model.type(named: "Extension")?.element(named: "url")?.isXMLAttribute == true)
        // Primitives have id and extension children but no `value` element.
        let string = try #require(model.type(named: "string"))
        #expect(string.elements.map(\.name) == ["id", "extension"])
    }

    @Test("contentReference points at the referenced backbone")
    func contentReference() throws {
        let model = try TestSupport.coreModel()
        let item = try #require(model.type(named: "Questionnaire.item"))
        #expect(item.element(named: "item")?.backbonePath == "Questionnaire.item")
        #expect(item.element(named: "item")?.isArray == true)
    }

    @Test("the binary cache gives back the same model, and a damaged cache is rebuilt")
    func cacheRoundTrip() throws {
        let packageDir = TestSupport.packageCacheRoot + "/hl7.fhir.r4.core#4.0.1/package"
        let dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-mi")
        defer { TestSupport.removeTree(dir) }
        let first = try ModelInfoLoader.load(packageDirectory: packageDir, cacheDirectory: dir)
        #expect(first.origin == ModelInfoLoader.Origin.parsed)
        let cacheFile = try #require(first.cacheFile)
        let second = try ModelInfoLoader.load(packageDirectory: packageDir, cacheDirectory: dir)
        #expect(second.origin == ModelInfoLoader.Origin.cache)
        #expect(second.model.types.count == first.model.types.count)
        for (a, b) in zip(first.model.types, second.model.types) {
            #expect(a.name == b.name && a.kind == b.kind && a.baseType == b.baseType)
            #expect(signature(a) == signature(b))
        }
        // Truncate the cache: the loader must notice and parse again.
        var bytes = try FileBytes.read(cacheFile)
        bytes.removeLast(100)
        try FileBytes.writeAtomically(bytes, to: cacheFile)
        let third = try ModelInfoLoader.load(packageDirectory: packageDir, cacheDirectory: dir)
        #expect(third.origin == ModelInfoLoader.Origin.parsed)
        #expect(third.model.types.count == first.model.types.count)
    }

    private func signature(_ t: TypeSummary) -> [String] {
        t.elements.map { e in
            "\(e.name):\(e.types.joined(separator: "|")):\(e.isArray):\(e.isChoice):\(e.min):"
                + "\(e.isXMLAttribute):\(e.backbonePath ?? "-")"
        }
    }
}
