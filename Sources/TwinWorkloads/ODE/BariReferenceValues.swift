/// Published reference solutions of the Bari test set for initial value problem solvers.
///
/// F. Mazzia and C. Magherini, *Test Set for Initial Value Problem Solvers*, release 2.4,
/// Department of Mathematics, University of Bari (2008). (The same digits appear in the test
/// suites of ODE.jl and pyodesys.) Unlike ``ODEReferenceValues``, which our script computes with
/// SciPy, these are the values the test set publishes.
public enum BariReferenceValues {
    /// Problem ROBER (Robertson's chemical kinetics, k = 0.04, 3·10⁷, 10⁴, y(0) = (1, 0, 0)) at
    /// t = 10¹¹, "reference solution".
    public static let rober1e11: [Double] = [0.2083340149701255e-07, 0.8333360770334713e-13, 0.9999999791665050]
}
