import FHIRPath
import Foundation
import Testing

/// Tall expressions (long operator chains, deep nesting) give a value or a clean error on any
/// thread, never a stack overflow.
@Suite struct DeepExpressionTests {
    /// Compiles and evaluates `text` on a new thread with the given stack size; returns the
    /// result count, or the error.
    static func runOnThread(_ text: String, stackSize: Int) -> Result<Int, FHIRPathError> {
        final class Box: @unchecked Sendable {
            var result: Result<Int, FHIRPathError> = .success(-1)
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do throws(FHIRPathError) {
                let compiled = try FHIRPathEngine(model: nil).compile(text)
                box.result = .success(try compiled.evaluate(input: []).count)
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return box.result
    }

    @Test(arguments: [256 * 1024, 1024 * 1024, 8 * 1024 * 1024])
    func longChainsNeverOverflow(stackSize: Int) {
        for length in [10, 200, 600, 990] {
            let text = Array(repeating: "1", count: length).joined(separator: " + ")
            switch Self.runOnThread(text, stackSize: stackSize) {
            case .success(let count): #expect(count == 1)
            case .failure(let error): #expect(error.message.contains("too deeply nested"), "\(error)")
            }
        }
    }

    @Test func shortExpressionsRunOnSmallStacks() {
        #expect(Self.runOnThread("(1 + 2) * 3 = 9 and 'a' & 'b' = 'ab'", stackSize: 128 * 1024) == .success(1))
    }
}
