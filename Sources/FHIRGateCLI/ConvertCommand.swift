import ArgumentParser

// Being written by the lead.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert", abstract: "Convert FHIR JSON and XML.")
}
