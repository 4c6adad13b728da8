import FHIRDefinitions

/// Local value sets answer `memberOf()`.
extension LocalTerminology: FHIRPathTerminology {}
