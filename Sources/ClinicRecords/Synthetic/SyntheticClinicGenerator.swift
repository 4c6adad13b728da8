import FHIRModel

/// Realistic, obviously synthetic clinic records at any scale, the same for the same seed on
/// every machine (its own SplitMix64 generator; no wall clock).
///
/// The records are the clinic directory (the clinic, its prescribers, nurses and therapists, and
/// six referring practices with three psychiatrists each), then each patient's whole course:
/// patient, referral, consents (a 42 CFR Part 2 consent for some patients with a substance use
/// diagnosis, none for others), an IV induction series of six infusions two a week with
/// mid-session titration, vitals pre/intra/post/recovery (sometimes an elevated blood pressure),
/// body weight, PHQ-9 and GAD-7 before, mid-series and after (improving), dissociation ratings,
/// side effects now and then, preparation and integration sessions with progress notes (some
/// with psychotherapy notes), for some patients a nasal esketamine or IM maintenance course, and
/// the summary letter. Patient `i` depends only on the seed and `i`, so patients can be made in
/// any order or in parallel, and iterating keeps one patient in memory at a time.
///
/// All dates fall in a 365-day ``window`` that the seed chooses (starting between 2024-01-01 and
/// 2025-12-31).
public struct SyntheticClinicGenerator: Sendable, Sequence {
    public let patients: Int
    public let seed: UInt64
    private let directory: SyntheticDirectory
    private let windowStart: SyntheticDay

    /// The number of days of the date window.
    public static let windowLength = 365

    public init(patients: Int, seed: UInt64) {
        self.patients = Swift.max(patients, 0)
        self.seed = seed
        self.directory = SyntheticDirectory(seed: seed)
        var rng = SplitMix64(seed: seed)
        self.windowStart = SyntheticDay(year: 2024, month: 1, day: 1).adding(rng.int(0...730))
    }

    /// The first and last day any record's dates can fall on.
    public var window: (start: FHIRDate, end: FHIRDate) {
        (windowStart.date, windowStart.adding(Self.windowLength - 1).date)
    }

    /// The clinic, its staff, and the referring practitioners and organizations.
    public var directoryRecords: [ClinicRecord] { directory.records }

    /// The whole course of patient `index` (0-based), in time order.
    public func patientRecords(_ index: Int) -> [ClinicRecord] {
        var course = SyntheticPatientCourse(
            index: index, seed: seed, directory: directory, windowStart: windowStart)
        return course.build()
    }

    /// Each patient's records in turn, made as they are asked for.
    public var patientCourses: PatientCourses { PatientCourses(generator: self) }

    /// All records: the directory, then each patient's course.
    public func makeIterator() -> Iterator { Iterator(generator: self) }

    public struct PatientCourses: Sequence, Sendable {
        let generator: SyntheticClinicGenerator

        public func makeIterator() -> AnyIterator<[ClinicRecord]> {
            var next = 0
            let generator = generator
            return AnyIterator {
                guard next < generator.patients else { return nil }
                defer { next += 1 }
                return generator.patientRecords(next)
            }
        }
    }

    public struct Iterator: IteratorProtocol {
        let generator: SyntheticClinicGenerator
        var buffer: [ClinicRecord]
        var position = 0
        var nextPatient = 0

        init(generator: SyntheticClinicGenerator) {
            self.generator = generator
            self.buffer = generator.directoryRecords
        }

        public mutating func next() -> ClinicRecord? {
            while position >= buffer.count {
                guard nextPatient < generator.patients else { return nil }
                buffer = generator.patientRecords(nextPatient)
                position = 0
                nextPatient += 1
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}
