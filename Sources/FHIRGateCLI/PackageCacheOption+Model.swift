import FHIRGate

extension PackageCacheOption {
    /// The package cache these options name.
    var cache: PackageCache { PackageCache(root: packageCache) }

    struct CoreModelError: Error, CustomStringConvertible {
        let description: String
    }

    /// Loads the R4 core model from the package cache (through the precompiled model cache).
    func loadCoreModel() throws -> ModelInfo {
        let root = cache.root
        do {
            return try ModelInfoLoader.loadCore(packageCacheRoot: root).model
        } catch {
            throw CoreModelError(
                description: "the FHIR core package hl7.fhir.r4.core#4.0.1 is not usable in \(root) "
                    + "(install it with `fhirgate packages install hl7.fhir.r4.core#4.0.1 --from FILE.tgz` "
                    + "or run scripts/setup.sh): \(error.message)")
        }
    }
}
