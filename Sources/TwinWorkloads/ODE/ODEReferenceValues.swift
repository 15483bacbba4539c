// Placeholder until make_references.py has run.
public enum ODEReferenceValues {
    public static let robertson1e5: [Double] = []
    public static let robertson1e11: [Double] = []
    public static let vanDerPol3000: [Double] = []
    public static let hires: [Double] = []
    public static let pkRepeatedDoses: [Double] = []
}
