import FHIRGate

/// The benchmark workload: documents read into memory, then timed passes of
/// JSON parse, JSON serialize, XML parse and XML serialize over all of them.
struct BenchRunner {
    let model: ModelInfo
    let dataset: String
    let repeatCount: Int

    /// A document that the JSON reader accepted, with its tree and resource count.
    private struct Parsed {
        let bytes: [UInt8]
        let root: ElementNode
        let resources: Int
    }

    /// Reads nothing from disk: `documents` are already in memory.
    func run(documents: [[UInt8]], includeXML: Bool) -> [BenchResult] {
        let jsonReader = FHIRJSONReader(model: model)
        let jsonWriter = FHIRJSONWriter(model: model, pretty: false)

        // Untimed first pass: keep the documents the reader accepts (a failure is reported, not timed).
        var parsed: [Parsed] = []
        var jsonFailures = 0
        for bytes in documents {
            guard let result = try? jsonReader.read(bytes) else {
                jsonFailures += 1
                continue
            }
            parsed.append(Parsed(bytes: bytes, root: result.root, resources: Self.countResources(result.root)))
        }
        let inputs = parsed.map(\.bytes)
        let trees = parsed.map(\.root)
        let jsonBytes = inputs.reduce(0) { $0 + $1.count }
        let resources = parsed.reduce(0) { $0 + $1.resources }
        var sink = 0
        var results: [BenchResult] = []

        let parseTime = BenchMeasure.median(repeat: repeatCount) {
            for bytes in inputs {
                if let result = try? jsonReader.read(bytes) { sink &+= result.root.children.count }
            }
        }
        results.append(result("parse", inputs.count, jsonBytes, resources, parseTime, jsonFailures))

        let writeTime = BenchMeasure.median(repeat: repeatCount) {
            for tree in trees { sink &+= jsonWriter.write(tree).count }
        }
        results.append(result("serialize", inputs.count, jsonBytes, resources, writeTime, jsonFailures))

        if includeXML {
            results += runXML(parsed: parsed, jsonFailures: jsonFailures, sink: &sink)
        }
        // Keeps the optimizer from dropping the timed work.
        if sink == Int.min { print("") }
        return results
    }

    private func runXML(parsed: [Parsed], jsonFailures: Int, sink: inout Int) -> [BenchResult] {
        let xmlReader = FHIRXMLReader(model: model)
        let xmlWriter = FHIRXMLWriter(model: model)

        // The XML documents are written from the JSON trees; trees the writer or reader refuses are left out.
        var documents: [[UInt8]] = []
        var trees: [ElementNode] = []
        var resources = 0
        var failures = jsonFailures
        for item in parsed {
            guard let xml = try? xmlWriter.write(item.root), let back = try? xmlReader.read(xml) else {
                failures += 1
                continue
            }
            documents.append(xml)
            trees.append(back.root)
            resources += item.resources
        }
        let xmlBytes = documents.reduce(0) { $0 + $1.count }
        var localSink = 0

        let parseTime = BenchMeasure.median(repeat: repeatCount) {
            for bytes in documents {
                if let result = try? xmlReader.read(bytes) { localSink &+= result.root.children.count }
            }
        }
        let writeTime = BenchMeasure.median(repeat: repeatCount) {
            for tree in trees {
                if let bytes = try? xmlWriter.write(tree) { localSink &+= bytes.count }
            }
        }
        sink &+= localSink
        return [
            result("xml-parse", documents.count, xmlBytes, resources, parseTime, failures),
            result("xml-serialize", documents.count, xmlBytes, resources, writeTime, failures),
        ]
    }

    private func result(
        _ op: String, _ files: Int, _ bytes: Int, _ resources: Int, _ seconds: Double, _ failures: Int
    ) -> BenchResult {
        BenchResult(
            dataset: dataset, op: op, files: files, bytes: bytes, resources: resources, seconds: seconds,
            peakRSSMB: BenchMeasure.peakRSSMB(), failures: failures, repeatCount: repeatCount)
    }

    /// Resource nodes in a tree: the root, contained resources and Bundle entry resources.
    static func countResources(_ root: ElementNode) -> Int {
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            if node.isResource { count += 1 }
            stack.append(contentsOf: node.children)
        }
        return count
    }
}
