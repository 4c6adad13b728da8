import FHIRGate
import FHIRGateTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A timing loop, run only with FHIRGATE_XML_SPEED=1 (use a release build:
/// `FHIRGATE_XML_SPEED=1 swift test -c release --filter XMLSpeed`). It builds one large Bundle
/// from the official examples (each twice) and times XML parse-to-tree and tree-to-XML.
@Suite struct XMLSpeed {
    static var enabled: Bool { getenv("FHIRGATE_XML_SPEED") != nil }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test(.enabled(if: enabled && TestSupport.hasCorePackage, "set FHIRGATE_XML_SPEED=1 to time the XML reader"))
    func parseAndWriteRates() throws {
        guard let folder = TestSupport.sharedPath("corpora/examples-r4-json") else { return }
        let model = try TestSupport.coreModel()
        let jsonReader = FHIRJSONReader(model: model)
        var bundle = ElementNode.resource("Bundle")
        bundle.children.append(.primitive("type", type: "code", value: "collection"))
        let names = TestSupport.files(in: folder, suffix: ".json")
        for _ in 0..<2 {
            for name in names {
                var resource = try jsonReader.read(try FileBytes.read(folder + "/" + name)).root
                resource.name = "resource"
                bundle.children.append(
                    ElementNode(name: "entry", typeName: "BackboneElement", children: [resource], flags: .listItem))
            }
        }
        let reader = FHIRXMLReader(model: model)
        for pretty in [true, false] {
            let writer = FHIRXMLWriter(model: model, pretty: pretty)
            let xml = try writer.write(bundle)
            var bestRead = Double.infinity
            var nodes = 0
            for _ in 0..<5 {
                let t0 = Self.now()
                let parsed = try reader.read(xml)
                bestRead = min(bestRead, Self.now() - t0)
                nodes = parsed.root.nodeCount
            }
            var bestWrite = Double.infinity
            for _ in 0..<5 {
                let t0 = Self.now()
                _ = try writer.write(bundle)
                bestWrite = min(bestWrite, Self.now() - t0)
            }
            let mb = Double(xml.count) / 1e6
            let label = pretty ? "pretty" : "compact"
            print(
                "XML speed (\(label), \(String(format: "%.1f", mb)) MB, \(nodes) nodes): "
                    + "FHIRXMLReader \(Int(mb / bestRead)) MB/s, FHIRXMLWriter \(Int(mb / bestWrite)) MB/s")
            #expect(nodes == bundle.nodeCount)
        }
    }
}
