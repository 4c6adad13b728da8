import ClinicMapping
import SyncStore

/// The order in which a target receives a set of resources (issue 6, "Order"): every reference
/// resolves when it arrives, and one patient's failure does not hold back another patient.
///
/// - A resource belongs to the patients its references lead to (followed through the set):
///   none -> the **shared** group (Organization, Practitioner, Medication...), delivered before
///   any patient; one -> that patient's group (key = the Patient id); several (a Provenance over a
///   whole batch) -> the **cross-patient** group, delivered after every patient group.
/// - Inside a group, a topological order over the references between its members: stable (ties
///   keep input order). References to other groups are satisfied by the group order, references
///   outside the set are left alone.
/// - A reference cycle is broken at its member that comes first in the input: it is delivered
///   before the rest of the cycle, and the cycle is reported in ``DeliveryPlan/cycles``.
public struct DeliveryOrder: Sendable {
    /// The key of the group delivered first.
    public static let sharedKey = OutboxGroups.first
    /// The key of the group delivered last (resources tied to more than one patient).
    public static let crossPatientKey = OutboxGroups.last

    public static func plan(_ resources: [TranslatedResource]) -> DeliveryPlan {
        let links = PatientLinks(resources)
        var keys: [String] = []
        var members: [String: [Int]] = [:]
        for (i, patients) in links.patients.enumerated() {
            let key =
                switch patients.count {
                case 0: sharedKey
                case 1: patients[0]
                default: crossPatientKey
                }
            if members[key] == nil { keys.append(key) }
            members[key, default: []].append(i)
        }
        let ordered =
            keys.filter { $0 == sharedKey } + keys.filter { $0 != sharedKey && $0 != crossPatientKey }
            + keys.filter { $0 == crossPatientKey }
        var groups: [DeliveryGroup] = []
        var cycles: [[String]] = []
        for key in ordered {
            let indices = members[key] ?? []
            let sorted = TopologicalOrder(indices: indices, links: links)
            cycles += sorted.cycles.map { $0.map { resources[$0].reference } }
            groups.append(DeliveryGroup(key: key, resources: sorted.order.map { resources[$0] }))
        }
        return DeliveryPlan(groups: groups, cycles: cycles)
    }
}

/// A stable topological order of some resources of a set (Kahn's algorithm taking the smallest
/// input index first), breaking cycles deterministically.
struct TopologicalOrder {
    private(set) var order: [Int] = []
    private(set) var cycles: [[Int]] = []

    init(indices: [Int], links: PatientLinks) {
        let members = Set(indices)
        // dependencies[i]: the members i refers to; dependents[j]: the members referring to j.
        var dependencies: [Int: Set<Int>] = [:]
        var dependents: [Int: [Int]] = [:]
        for i in indices {
            var deps: Set<Int> = []
            for ref in links.targets[i] {
                if let j = links.index[ref], j != i, members.contains(j) { deps.insert(j) }
            }
            dependencies[i] = deps
            for j in deps.sorted() { dependents[j, default: []].append(i) }
        }
        var waiting = dependencies.mapValues(\.count)
        var ready = MinHeap(indices.filter { waiting[$0] == 0 })
        var done: Set<Int> = []
        while done.count < indices.count {
            guard let next = ready.pop() else {
                let cycle = Self.findCycle(from: indices, done: done, dependencies: dependencies)
                cycles.append(cycle)
                // Release the member of the cycle that comes first in the input.
                if let first = cycle.min() {
                    waiting[first] = 0
                    ready.push(first)
                }
                continue
            }
            guard !done.contains(next) else { continue }
            done.insert(next)
            order.append(next)
            for d in dependents[next] ?? [] where !done.contains(d) {
                let left = (waiting[d] ?? 1) - 1
                waiting[d] = left
                if left == 0 { ready.push(d) }
            }
        }
    }

    /// A cycle among the members not yet delivered: from the first of them, follow the smallest
    /// undelivered dependency until a member repeats; the cycle is returned starting at its
    /// smallest member.
    private static func findCycle(from indices: [Int], done: Set<Int>, dependencies: [Int: Set<Int>]) -> [Int] {
        guard var current = indices.first(where: { !done.contains($0) }) else { return [] }
        var path: [Int] = []
        var position: [Int: Int] = [:]
        while position[current] == nil {
            position[current] = path.count
            path.append(current)
            // Every undelivered member waits for an undelivered one (nothing is ready).
            guard let next = dependencies[current]?.filter({ !done.contains($0) }).min() else { return [current] }
            current = next
        }
        let cycle = Array(path[(position[current] ?? 0)...])
        guard let smallest = cycle.min(), let at = cycle.firstIndex(of: smallest) else { return cycle }
        return Array(cycle[at...] + cycle[..<at])
    }
}

/// A binary min-heap of indices.
struct MinHeap {
    private var items: [Int] = []

    init(_ values: [Int]) {
        for v in values { push(v) }
    }

    mutating func push(_ value: Int) {
        items.append(value)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent] > items[i] else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1
                let r = l + 1
                var smallest = i
                if l < items.count && items[l] < items[smallest] { smallest = l }
                if r < items.count && items[r] < items[smallest] { smallest = r }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
        return top
    }
}
