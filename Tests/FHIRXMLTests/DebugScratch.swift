import FHIRGate
import FHIRGateTesting
import Testing

@Test func debugScratch() throws {
    let folder = TestSupport.sharedPath("corpora/xml-json-pairs")!
    let model = try TestSupport.coreModel()
    for name in ["profiles-types"] {
        let parsed = try FHIRXMLReader(model: model).read(try FileBytes.read(folder + "/" + name + ".xml"))
        let expected = try JSONValue.parse(try FileBytes.read(folder + "/" + name + ".json"))
        let entries = expected["entry"]!.arrayValue!
        let nodes = parsed.root.children(named: "entry")
        for (e, n) in zip(entries, nodes) {
            guard let want = e["resource"]?["text"]?["div"]?.stringValue else { continue }
            let got = n.child(named: "resource")!.child(named: "text")!.child(named: "div")!.value!
            let a = try XHTMLNarrative.looseComparisonKey(want)
            let b = try XHTMLNarrative.looseComparisonKey(got)
            if a == b { continue }
            let i = zip(a.utf8, b.utf8).prefix { $0 == $1 }.count
            print(name, a.utf8.count, b.utf8.count, i)
            print("WANT:", String(decoding: Array(a.utf8)[max(0, i - 80)..<min(a.utf8.count, i + 120)], as: UTF8.self))
            print("GOT: ", String(decoding: Array(b.utf8)[max(0, i - 80)..<min(b.utf8.count, i + 120)], as: UTF8.self))
            break
        }
    }
}
