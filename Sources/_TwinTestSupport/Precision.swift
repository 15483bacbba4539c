/// The two BLAS precisions, as a test argument: `@Test(arguments: Precision.allCases)`; a test
/// switches on it to call its generic body with `Float.self` or `Double.self`.
public enum Precision: String, CaseIterable, Sendable {
    case float, double
}
