import ArgumentParser
import FHIRGateCLI

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

@main
struct FHIRGateMain {
    static func main() async {
        do {
            var command = try FHIRGateCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Usage errors exit 2 (ArgumentParser's default is 64); everything else keeps its code.
            if FHIRGateCommand.exitCode(for: error) == .validationFailure {
                let message = FHIRGateCommand.fullMessage(for: error) + "\n"
                _ = message.withCString { fputs($0, stderr) }
                exit(2)
            }
            FHIRGateCommand.exit(withError: error)
        }
    }
}
