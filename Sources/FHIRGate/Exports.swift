@_exported import FHIRDefinitions
@_exported import FHIRJSON
@_exported import FHIRModel
@_exported import FHIRPath
@_exported import FHIRXML
@_exported import FHIRValidation
