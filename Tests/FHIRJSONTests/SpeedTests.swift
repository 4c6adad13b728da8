import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway timing loop over the official examples, run only with FHIRGATE_JSON_SPEED=1
/// (use a release build: `swift test -c release --filter JSONSpeed`).
@Suite struct JSONSpeed {
    static var enabled: Bool { getenv("FHIRGATE_JSON_SPEED") != nil }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test(.enabled(if: enabled && TestSupport.hasCorePackage, "set FHIRGATE_JSON_SPEED=1 to time the reader"))
    func parseAndWriteRates() throws {
        guard let folder = TestSupport.sharedPath("corpora/examples-r4-json") else { return }
        let model = try TestSupport.coreModel()
        let docs = try TestSupport.files(in: folder, suffix: ".json").map { try FileBytes.read(folder + "/" + $0) }
        let total = docs.reduce(0) { $0 + $1.count }
        let reader = FHIRJSONReader(model: model)
        let writer = FHIRJSONWriter(model: model)
        var trees: [ElementNode] = []
        for d in docs { trees.append(try reader.read(d).root) }
        let rounds = 10
        var best = Double.infinity
        for _ in 0..<rounds {
            let t0 = Self.now()
            for d in docs { _ = try reader.read(d) }
            best = min(best, Self.now() - t0)
        }
        var bestRaw = Double.infinity
        for _ in 0..<rounds {
            let t0 = Self.now()
            for d in docs { _ = try JSONValue.parse(d) }
            bestRaw = min(bestRaw, Self.now() - t0)
        }
        var bestWrite = Double.infinity
        var written = 0
        for _ in 0..<rounds {
            let t0 = Self.now()
            written = 0
            for t in trees { written += writer.write(t).count }
            bestWrite = min(bestWrite, Self.now() - t0)
        }
        let mb = Double(total) / 1e6
        print("JSON speed: \(docs.count) files, \(String(format: "%.1f", mb)) MB")
        print("JSON speed: FHIRJSONReader \(Int(mb / best)) MB/s, JSONValue.parse \(Int(mb / bestRaw)) MB/s")
        print("JSON speed: FHIRJSONWriter \(Int(Double(written) / 1e6 / bestWrite)) MB/s (compact output)")
        #expect(best > 0)
    }
}
