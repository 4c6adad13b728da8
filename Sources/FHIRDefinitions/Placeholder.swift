import FHIRModel
