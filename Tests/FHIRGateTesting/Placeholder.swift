import FHIRGate
