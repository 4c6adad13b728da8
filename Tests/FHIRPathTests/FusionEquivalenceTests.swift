import FHIRGateTesting
import FHIRJSON
import FHIRModel
import FHIRPath
import Testing

/// The compiler evaluates some call chains in a fused form (counting instead of collecting,
/// walking instead of materialising `descendants()`). Each fused expression must give exactly
/// what an equivalent unfused spelling gives, on every official example.
@Suite(.enabled(if: TestSupport.hasCorePackage && TestSupport.sharedPath("corpora/examples-r4-json") != nil))
struct FusionEquivalenceTests {
    /// (fused, unfused) pairs: `select($this)` and a target-less `ofType` inside `select` keep the
    /// general path.
    static let pairs: [(String, String)] = [
        ("descendants().ofType(Coding).code", "descendants().select(ofType(Coding)).code"),
        ("descendants().ofType(Quantity).value", "descendants().select(ofType(Quantity)).value"),
        ("descendants().ofType(string).count()", "descendants().select(ofType(string)).select($this).count()"),
        ("descendants().reference", "descendants().select(reference)"),
        ("name.where(use = 'official').family", "name.where(use = 'official' and true).family"),
        (
            "identifier.where(system = 'urn:oid:1.2.36.146.595.217.0.1')",
            "identifier.where(system = 'urn:oid:1.2.36.146.595.217.0.1' and true)"
        ),
        ("descendants().where(code = 'final')", "descendants().where(code = 'final' and true)"),
        (
            "descendants().ofType(Coding).where(system = 'http://loinc.org').code",
            "descendants().ofType(Coding).where(system = 'http://loinc.org' and true).code"
        ),
        ("where(status = 'final').id", "where(status = 'final' and true).id"),
        ("descendants().where(reference = '#')", "descendants().select($this).where(reference = '#')"),
        (
            "descendants().where($index < 3 and $this is Coding)",
            "descendants().select($this).where($index < 3 and $this is Coding)"
        ),
        ("descendants().where(code).count()", "descendants().select($this).where(code).count()"),
        ("descendants().as(canonical)", "descendants().select($this).as(canonical)"),
        ("contained.descendants().as(uri)", "contained.descendants().select($this).as(uri)"),
        ("descendants().id.count()", "descendants().select(id).select($this).count()"),
        ("children().count()", "children().select($this).count()"),
        ("identifier.count()", "identifier.select($this).count()"),
        ("text.div.exists()", "text.div.select($this).exists()"),
        ("contained.contained.empty()", "contained.contained.select($this).empty()"),
        ("meta.exists() and id.exists()", "meta.select($this).exists() and id.select($this).exists()"),
    ]

    @Test func fusedFormsMatchTheGeneralPath() throws {
        let model = try TestSupport.coreModel()
        let engine = FHIRPathEngine(model: model)
        let reader = FHIRJSONReader(model: model)
        guard let folder = TestSupport.sharedPath("corpora/examples-r4-json") else { return }
        let files = TestSupport.files(in: folder, suffix: ".json")
        #expect(files.count > 700)
        let compiled = try Self.pairs.map { (try engine.compile($0.0), try engine.compile($0.1)) }
        var compared = 0
        var nonEmpty = 0
        for file in files {
            let root = try reader.read(fileAtPath: folder + "/" + file).root
            for (fused, general) in compiled {
                let a = Self.outcome(fused, root)
                let b = Self.outcome(general, root)
                #expect(a == b, "\(file): \(fused.text)")
                compared += 1
                if a.count > 0 && !a[0].hasPrefix("error") { nonEmpty += 1 }
            }
        }
        #expect(compared == files.count * Self.pairs.count)
        // The comparison is not vacuous: most results have items.
        #expect(nonEmpty > compared / 2)
    }

    /// The items described, or the error (kind and message) the evaluation raised.
    static func outcome(_ compiled: CompiledFHIRPath, _ root: ElementNode) -> [String] {
        do {
            return describe(try compiled.evaluate(root))
        } catch {
            return ["error \(error.kind) \(error.message)"]
        }
    }

    /// Type, value and position of every item, so that "the same nodes in the same order" is checked.
    static func describe(_ values: [FHIRPathValue]) -> [String] {
        values.map { v in
            if case .node(let n) = v {
                return
                    "\(n.typeName ?? "?") \(n.element.name) \(n.element.position) \(n.element.value ?? "") \(n.scope?.resource.typeName ?? "-")"
            }
            return "\(v)"
        }
    }
}
