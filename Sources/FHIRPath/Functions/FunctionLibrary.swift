/// Every function the engine knows, by name. Each group lives in its own file as a static list.
enum FHIRPathFunctionLibrary {
    static let all: [String: FHIRPathFunction] = {
        var table: [String: FHIRPathFunction] = [:]
        let groups: [[FHIRPathFunction]] = [
            existenceFunctions, filteringFunctions, subsettingFunctions, combiningFunctions,
            conversionFunctions, stringFunctions, mathFunctions, treeFunctions, utilityFunctions,
            typeFunctions, aggregateFunctions, fhirFunctions,
        ]
        for group in groups {
            for function in group { table[function.name] = function }
        }
        return table
    }()
}
