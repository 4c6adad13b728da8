import ClinicMapping
import Testing

@Test func structureDefinitionURLsUseThePackageBase() {
    #expect(
        ClinicCanonical.structureDefinition("kap-patient")
            == "https://fhirgate.dev/fhir/StructureDefinition/kap-patient")
}
