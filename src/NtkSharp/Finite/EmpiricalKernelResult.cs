using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Finite;

/// <summary>Empirical kernels of one finite network between x1 (rows) and x2 (columns).</summary>
/// <param name="Nngp">K̂ = f(x1)·f(x2)ᵀ/K (null when not requested).</param>
/// <param name="Ntk">Θ̂ = (1/K)·Σ_k J_k(x1)·J_k(x2)ᵀ (null when not requested).</param>
public sealed record EmpiricalKernelResult(Matrix<double>? Nngp, Matrix<double>? Ntk);
