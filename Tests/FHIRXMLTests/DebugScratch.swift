import FHIRGate
import FHIRGateTesting
import Testing
import Glibc

func nowSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

@Test func debugScratch() throws {
    let reader = try XMLTest.reader()
    for folder in ["attacks", "malformed"] {
        for name in XMLTest.fixtureNames(folder) {
            let bytes = try XMLTest.fixture(folder + "/" + name)
            let t0 = nowSeconds()
            var outcome = ""
            do {
                let p = try reader.read(bytes)
                outcome = "issues: " + p.issues.map(\.description).joined(separator: " | ")
            } catch {
                outcome = "\(error)"
            }
            print(String(format: "%8.3f ms", (nowSeconds() - t0) * 1000), folder + "/" + name, "->", outcome)
        }
    }
}
