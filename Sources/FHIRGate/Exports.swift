@_exported import ClinicMapping
@_exported import ClinicRecords
@_exported import FHIRDefinitions
@_exported import FHIRJSON
@_exported import FHIRModel
@_exported import FHIRPath
@_exported import FHIRValidation
@_exported import FHIRXML
