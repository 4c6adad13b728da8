import FHIRGateCLI

@main
struct FHIRGateMain {
    static func main() {}
}
