using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Prediction;

/// <summary>Gradient-descent means on the train and test points at each requested time, and how they were
/// computed.</summary>
/// <param name="Train">f_t(X), N×K, one per time.</param>
/// <param name="Test">f_t(x), M×K, one per time.</param>
/// <param name="Report">The route, and the iterations and error estimate of the iterative route.</param>
public sealed record MeanPrediction(IReadOnlyList<Matrix<double>> Train, IReadOnlyList<Matrix<double>> Test, IterativeReport Report);
