import ArgumentParser

/// The `fhirgate` command line: one subcommand per file (folders for command groups).
public struct FHIRGateCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fhirgate",
        abstract: "FHIR R4 gateway for ketamine clinics: convert, validate, translate and sync.",
        subcommands: [
            ConvertCommand.self, PackagesCommand.self, DefinitionsCommand.self, FHIRPathCommand.self,
            ValidateCommand.self, SamplesCommand.self, ImportCommand.self, TranslateCommand.self, KeysCommand.self,
            PushCommand.self, PullCommand.self, SyncCommand.self, OutboxCommand.self,
        ]
    )

    public init() {}
}
