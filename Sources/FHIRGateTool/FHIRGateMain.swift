import FHIRGateCLI

@main
struct FHIRGateMain {
    static func main() async {
        await FHIRGateCommand.main()
    }
}
