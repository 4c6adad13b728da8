/// The small built-in word lists the synthetic records draw from. Names are obviously made up
/// (nobody is called "Testcase"); phone numbers use the fictional 555-01xx range; addresses use
/// example streets and `example.org` domains.
enum SyntheticVocabulary {
    static let familyNames = [
        "Testcase", "Samplesdottir", "Placeholder", "Mockridge", "Fakenham", "Exampleton", "Dummington",
        "Fixturson", "Stubbs-Synthetic", "Prototypo", "Specimen", "Notreal", "Madeupski", "Fictivo",
        "Pretendsen", "Imaginaire", "Demoulin", "Trialworth", "Sandboxer", "Simulacra",
    ]
    static let givenFemale = [
        "Ana", "Robin", "Maya", "Jordan", "Priya", "Elena", "Noor", "Grace", "Keiko", "Lena", "Sofia", "Amara",
    ]
    static let givenMale = [
        "Luis", "Sam", "Omar", "Theo", "Kenji", "Marcus", "Dev", "Felix", "Ravi", "Tomas", "Eli", "Jonah",
    ]
    static let givenNeutral = ["Alex", "Casey", "Riley", "Quinn", "Avery", "Rowan"]

    /// North Carolina cities with a ZIP prefix of the area.
    static let cities: [(city: String, zip: String)] = [
        ("Durham", "277"), ("Raleigh", "276"), ("Chapel Hill", "275"), ("Cary", "275"), ("Greensboro", "274"),
        ("Wilmington", "284"), ("Asheville", "288"), ("Charlotte", "282"),
    ]
    static let streets = [
        "Example Street", "Sample Avenue", "Placeholder Road", "Synthetic Lane", "Testing Way", "Mock Court",
    ]
    static let areaCodes = ["919", "984", "336", "704", "828", "910"]

    static let practiceNames = [
        "Triangle Psychiatry Associates", "Piedmont Mind Clinic", "Coastal Behavioral Health",
        "Blue Ridge Psychiatric Partners", "Sandhills Mental Health Group", "Research Park Psychiatry",
        "Cape Fear Wellness Psychiatry", "Foothills Depression Center",
    ]

    /// Depression and anxiety diagnoses a referral is for (ICD-10-CM, CMS long names shortened).
    static let primaryReasons: [(code: String, text: String)] = [
        ("F33.2", "Major depressive disorder, recurrent severe without psychotic features"),
        ("F33.1", "Major depressive disorder, recurrent, moderate"),
        ("F32.2", "Major depressive disorder, single episode, severe without psychotic features"),
        ("F31.32", "Bipolar disorder, current episode depressed, moderate"),
        ("F43.12", "Post-traumatic stress disorder, chronic"),
    ]
    static let secondaryReasons: [(code: String, text: String)] = [
        ("F41.1", "Generalized anxiety disorder"), ("R45.851", "Suicidal ideations"),
    ]
    /// Substance use disorders (F10-F19): 42 CFR Part 2 material.
    static let substanceUseReasons: [(code: String, text: String)] = [
        ("F10.20", "Alcohol dependence, uncomplicated"), ("F11.20", "Opioid dependence, uncomplicated"),
        ("F12.20", "Cannabis dependence, uncomplicated"), ("F10.21", "Alcohol dependence, in remission"),
        ("F14.20", "Cocaine dependence, uncomplicated"),
    ]

    static let medications = [
        "sertraline 200 mg daily", "bupropion XL 300 mg daily", "escitalopram 20 mg daily",
        "venlafaxine XR 225 mg daily", "mirtazapine 30 mg at night", "aripiprazole 5 mg daily",
        "lithium 600 mg daily", "duloxetine 60 mg daily", "trazodone 50 mg at night",
    ]
    static let referralNotes = [
        "Failed several adequate antidepressant trials. Please evaluate for IV ketamine.",
        "Partial response to current regimen; patient asks about ketamine-assisted therapy.",
        "Persistent severe symptoms despite augmentation. Evaluation for ketamine requested.",
        "Synthetic referral: please evaluate for an induction series.",
    ]
    static let progressNotes = [
        "Integration session. Mood somewhat brighter; sleep improving.",
        "Reviewed the infusion experience; patient reports less rumination.",
        "Discussed values and goals; energy better in the mornings.",
        "Patient describes the session as calm; practiced grounding skills.",
        "Integration session after infusion. Some anxiety about the next dose; coping plan reviewed.",
    ]
    static let preparationNotes = [
        "Preparation session: expectations, set and setting, safety plan reviewed.",
        "Preparation: discussed dissociation, nausea and the escort requirement.",
    ]
    static let psychotherapyNotes = [
        "Process notes kept apart from the record.", "Therapist's private process notes (synthetic).",
    ]
}
