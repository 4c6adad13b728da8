@_exported import FHIRModel
@_exported import FHIRJSON
@_exported import FHIRXML
@_exported import FHIRDefinitions
