using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Prediction;

/// <summary>The output distribution of an infinite ensemble on M test points at one time.</summary>
/// <param name="Time">The training time t (∞ for the converged ensemble), or the number of steps for the discrete
/// form.</param>
/// <param name="Mean">The M×K mean.</param>
/// <param name="Covariance">The M×M covariance across test points, shared by all K outputs (outputs are
/// independent), or null when not requested.</param>
public sealed record GaussianPrediction(double Time, Matrix<double> Mean, Matrix<double>? Covariance);
