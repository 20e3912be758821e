using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Finite;

/// <summary>Monte Carlo estimates of the NNGP and NTK from finite networks, with their standard errors.</summary>
/// <param name="Nngp">The mean empirical NNGP over the samples (null when not requested).</param>
/// <param name="Ntk">The mean empirical NTK over the samples (null when not requested).</param>
/// <param name="NngpStandardError">Standard error of each entry of <paramref name="Nngp"/>: sample standard deviation / √samples.</param>
/// <param name="NtkStandardError">Standard error of each entry of <paramref name="Ntk"/>.</param>
/// <param name="Samples">The number of initialisations averaged.</param>
public sealed record MonteCarloKernelResult(
    Matrix<double>? Nngp, Matrix<double>? Ntk, Matrix<double>? NngpStandardError, Matrix<double>? NtkStandardError, int Samples);
