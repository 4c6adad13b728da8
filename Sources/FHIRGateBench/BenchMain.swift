import FHIRGate

@main
struct BenchMain {
    static func main() {}
}
