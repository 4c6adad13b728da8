/// Unsigned arbitrary-precision integer operations on base-10 digit arrays (most significant
/// digit first, each element 0...9). Inputs may carry leading zeros; results do not, and zero is
/// the empty array.
enum DecimalDigits {
    /// The digits without leading zeros.
    static func trimmed(_ a: [UInt8]) -> [UInt8] {
        guard let first = a.firstIndex(where: { $0 != 0 }) else { return [] }
        return first == 0 ? a : Array(a[first...])
    }

    /// Orders two magnitudes.
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> FHIRComparison {
        let x = trimmed(a)
        let y = trimmed(b)
        if x.count != y.count { return x.count < y.count ? .less : .greater }
        for i in 0..<x.count where x[i] != y[i] {
            return x[i] < y[i] ? .less : .greater
        }
        return .equal
    }

    static func add(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: Swift.max(a.count, b.count) + 1)
        var i = a.count - 1
        var j = b.count - 1
        var k = result.count - 1
        var carry: UInt8 = 0
        while k >= 0 {
            var sum = carry
            if i >= 0 { sum += a[i] }
            if j >= 0 { sum += b[j] }
            result[k] = sum % 10
            carry = sum / 10
            i -= 1
            j -= 1
            k -= 1
        }
        return trimmed(result)
    }

    /// `a - b`; requires `a >= b`.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = a
        var j = b.count - 1
        var borrow: UInt8 = 0
        var i = result.count - 1
        while i >= 0 {
            let subtrahend = (j >= 0 ? b[j] : 0) + borrow
            if result[i] >= subtrahend {
                result[i] -= subtrahend
                borrow = 0
            } else {
                result[i] = result[i] + 10 - subtrahend
                borrow = 1
            }
            i -= 1
            j -= 1
        }
        return trimmed(result)
    }

    static func multiply(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        let x = trimmed(a)
        let y = trimmed(b)
        guard !x.isEmpty, !y.isEmpty else { return [] }
        // Accumulate column sums in least-significant-first order, then carry once.
        var columns = [Int](repeating: 0, count: x.count + y.count)
        for (i, dx) in x.reversed().enumerated() where dx != 0 {
            for (j, dy) in y.reversed().enumerated() {
                columns[i + j] += Int(dx) * Int(dy)
            }
            // Carry every row so column sums stay small even for long inputs.
            var carry = 0
            for c in i..<columns.count {
                let v = columns[c] + carry
                columns[c] = v % 10
                carry = v / 10
                if carry == 0 && c >= i + y.count { break }
            }
        }
        return trimmed(columns.reversed().map { UInt8($0) })
    }

    /// Long division: `(a / b, a % b)`; requires `b != 0`.
    static func divide(_ a: [UInt8], _ b: [UInt8]) -> (quotient: [UInt8], remainder: [UInt8]) {
        let divisor = trimmed(b)
        guard !divisor.isEmpty else { return ([], []) }
        var quotient: [UInt8] = []
        quotient.reserveCapacity(a.count)
        var remainder: [UInt8] = []
        for digit in a {
            if !(remainder.isEmpty && digit == 0) { remainder.append(digit) }
            var q: UInt8 = 0
            while compare(remainder, divisor) != .less {
                remainder = subtract(remainder, divisor)
                q += 1
            }
            quotient.append(q)
        }
        return (trimmed(quotient), remainder)
    }
}
