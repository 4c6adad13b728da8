/// Where an element is, as a FHIRPath location (`Patient.name[0].given`): a depth in the trail of
/// names the walk has descended through, joined into one string only when something needs the
/// text (an issue, a checker that reports). Most elements walked report nothing, and building
/// every location eagerly cost an allocation and a copy of the parent's text per element.
///
/// The walk is depth-first and synchronous: an element's location is read only while the
/// element (or a descendant) is being checked, and the trail's steps up to its depth do not
/// change before the walk leaves it. A child's step replaces the previous sibling's.
struct ElementPath {
    /// The steps of the walk, shared by an element and its descendants.
    let trail: ElementPathTrail
    /// How many steps of the trail (after its root) lead to this element.
    let depth: Int

    /// A location given as text (a resource's own path).
    init(_ text: String) {
        trail = ElementPathTrail(root: text)
        depth = 0
    }

    private init(trail: ElementPathTrail, depth: Int) {
        self.trail = trail
        self.depth = depth
    }

    /// The child `name` (item `index` of a list) of this element. It takes the trail's step at
    /// this depth: locations of earlier siblings (and their descendants) are no longer valid.
    func child(_ name: String, index: Int?) -> ElementPath {
        trail.set(depth, name: name, index: index ?? -1)
        return ElementPath(trail: trail, depth: depth + 1)
    }

    /// The location as text: the root, then `.name` or `.name[index]` for each step.
    var text: String { trail.text(depth: depth) }
}

/// The root text and the steps (name, list index or -1) of the locations of one walk.
///
/// The steps change once per element walked: they are exempt from the runtime exclusivity
/// checks (a class's stored properties are otherwise checked on every access, which cost more
/// than the paths this saves). The walk that owns the trail is synchronous and never holds an
/// access across a call that could reach the trail again.
final class ElementPathTrail {
    let root: String
    /// One step: a name and its list index, or -1.
    private struct Step {
        var name: String
        var index: Int
    }

    /// (One array, not one of names and one of indices: a step is set with one uniqueness check.)
    @exclusivity(unchecked) private var steps: [Step] = []

    init(root: String) {
        self.root = root
    }

    /// Step `depth` becomes `name`/`index`; deeper steps are left stale (only read up to a depth).
    func set(_ depth: Int, name: String, index: Int) {
        if depth < steps.count {
            steps[depth] = Step(name: name, index: index)
        } else {
            steps.append(Step(name: name, index: index))
        }
    }

    /// The first `depth` steps after the root, joined: the bytes copied once into a string of the
    /// exact size.
    func text(depth: Int) -> String {
        guard depth > 0 else { return root }
        var total = root.utf8.count
        for k in 0..<depth {
            total += 1 + steps[k].name.utf8.count
            if steps[k].index >= 0 { total += 2 + Self.digitCount(steps[k].index) }
        }
        return String(unsafeUninitializedCapacity: total) { out in
            var at = 0
            func put(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    _ = UnsafeMutableBufferPointer(rebasing: out[at..<(at + bytes.count)]).initialize(from: bytes)
                    at += bytes.count
                }
            }
            func put(_ byte: UInt8) {
                out[at] = byte
                at += 1
            }
            put(root)
            for k in 0..<depth {
                put(UInt8(ascii: "."))
                put(steps[k].name)
                let index = steps[k].index
                guard index >= 0 else { continue }
                put(UInt8(ascii: "["))
                let digits = Self.digitCount(index)
                var rest = index
                for d in stride(from: digits - 1, through: 0, by: -1) {
                    out[at + d] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                at += digits
                put(UInt8(ascii: "]"))
            }
            return at
        }
    }

    private static func digitCount(_ n: Int) -> Int {
        var n = n
        var count = 1
        while n >= 10 {
            n /= 10
            count += 1
        }
        return count
    }
}
