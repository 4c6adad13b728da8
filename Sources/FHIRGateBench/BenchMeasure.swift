import FHIRGate

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One measured operation over a set of documents.
struct BenchResult {
    var tool = "fhirgate"
    var dataset: String
    /// `parse`, `serialize`, `xml-parse`, `xml-serialize`.
    var op: String
    var files: Int
    /// Size of the input documents of this operation (the JSON for JSON, the XML for XML).
    var bytes: Int
    /// Resources in those documents (root, contained and entry resources).
    var resources: Int
    /// Median wall time of one pass over all documents.
    var seconds: Double
    /// Peak resident set size of the process so far.
    var peakRSSMB: Double
    /// Documents left out because the operation failed on them.
    var failures: Int
    var repeatCount: Int

    var mbPerSecond: Double { seconds > 0 ? Double(bytes) / 1e6 / seconds : 0 }
    var resourcesPerSecond: Double { seconds > 0 ? Double(resources) / seconds : 0 }

    /// One JSON object, in the same shape as `scripts/bench_python.py` prints.
    var jsonLine: String {
        "{\"tool\": \(JSONValue.quoted(tool)), \"dataset\": \(JSONValue.quoted(dataset)), \"op\": \(JSONValue.quoted(op)), "
            + "\"files\": \(files), \"bytes\": \(bytes), \"resources\": \(resources), "
            + "\"seconds\": \(seconds), \"mb_per_s\": \(mbPerSecond), \"resources_per_s\": \(resourcesPerSecond), "
            + "\"peak_rss_mb\": \(peakRSSMB), \"failures\": \(failures), \"repeat\": \(repeatCount)}"
    }
}

enum BenchMeasure {
    /// Runs `body` `count` times and returns the median duration in seconds.
    static func median(repeat count: Int, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        var times: [Double] = []
        times.reserveCapacity(count)
        for _ in 0..<max(1, count) {
            times.append(seconds(clock.measure(body)))
        }
        times.sort()
        let mid = times.count / 2
        return times.count % 2 == 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Peak resident set size of this process in MiB (getrusage ru_maxrss).
    static func peakRSSMB() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
            let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
            let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        #if canImport(Darwin)
            return Double(usage.ru_maxrss) / (1024 * 1024)
        #else
            return Double(usage.ru_maxrss) / 1024
        #endif
    }
}

/// Formats results as an aligned text table.
enum BenchTable {
    static func render(_ results: [BenchResult]) -> String {
        let header = ["dataset", "tool", "op", "files", "MB", "s/pass", "MB/s", "res/s", "peak RSS MB", "failed"]
        var rows = [header]
        for r in results {
            rows.append([
                r.dataset, r.tool, r.op, String(r.files), fixed(Double(r.bytes) / 1e6, 1), fixed(r.seconds, 4),
                fixed(r.mbPerSecond, 1), fixed(r.resourcesPerSecond, 0), fixed(r.peakRSSMB, 0), String(r.failures),
            ])
        }
        return aligned(rows, leftColumns: 3)
    }

    /// Rows as aligned columns: the first `leftColumns` left-aligned, the rest right-aligned.
    static func aligned(_ rows: [[String]], leftColumns: Int) -> String {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i == widths.count { widths.append(0) }
                widths[i] = max(widths[i], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i < leftColumns ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `value` with `digits` decimals, without Foundation.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let whole = Int(scaled) / Int(scale)
        let frac = Int(scaled) % Int(scale)
        var text = (value < 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let fracText = String(frac)
            text += "." + String(repeating: "0", count: digits - fracText.count) + fracText
        }
        return text
    }
}
