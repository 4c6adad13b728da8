import FHIRGate

/// `fhirgate-bench fhirpath --compile-invariants`: how long parsing, checking and compiling every
/// invariant of the R4 core StructureDefinitions takes, the FHIRPath part of a validator's start-up.
enum FHIRPathCompileBench {
    static func run(model: ModelInfo, packageCache: String?) {
        let clock = ContinuousClock()
        let store = DefinitionStore.load(.init(packages: [.r4Core], packageCache: PackageCache(root: packageCache)))
        // (root type, expression) for every constraint, deduplicated.
        var seen: Set<String> = []
        var invariants: [(type: String, expression: String)] = []
        for sd in store.resources(ofType: "StructureDefinition") {
            guard let type = sd["type"]?.stringValue else { continue }
            for element in sd["snapshot"]?["element"]?.arrayValue ?? [] {
                for constraint in element["constraint"]?.arrayValue ?? [] {
                    guard let text = constraint["expression"]?.stringValue else { continue }
                    let path = element["path"]?.stringValue ?? type
                    // Root-level constraints get the resource type as context; deeper ones none
                    // (the checker then has nothing to check, the compile is still timed).
                    let context = path.contains(".") ? "" : type
                    if seen.insert(context + "|" + text).inserted { invariants.append((context, text)) }
                }
            }
        }
        for asFilters in [false, true] {
            let engine = FHIRPathEngine(model: model, asFiltersCollections: asFilters)
            var compiled = 0
            var failed = 0
            let start = clock.now
            for invariant in invariants {
                do throws(FHIRPathError) {
                    _ = try engine.compile(
                        invariant.expression, contextType: invariant.type.isEmpty ? nil : invariant.type)
                    compiled += 1
                } catch {
                    failed += 1
                }
            }
            let seconds = BenchMeasure.seconds(clock.now - start)
            print(
                "compile invariants (asFiltersCollections: \(asFilters)): \(invariants.count) distinct, "
                    + "\(compiled) compiled, \(failed) rejected, "
                    + "\(Int(seconds * 1000)) ms (\(Int(seconds * 1_000_000 / Double(max(invariants.count, 1)))) us each)"
            )
        }
    }
}
