namespace NtkSharp.LinearAlgebra;

/// <summary>The dense linear algebra implementations NtkSharp can use (see <see cref="Backend"/>).</summary>
public enum BackendKind
{
    /// <summary>MathNet.Numerics' managed provider: always available, 8–60× slower than native LAPACK for large n.</summary>
    Managed,

    /// <summary>Intel oneMKL through its single dynamic library <c>libmkl_rt.so</c> (LP64 interface).</summary>
    Mkl,

    /// <summary>OpenBLAS through <c>libopenblas.so.0</c> (its BLAS and bundled LAPACK).</summary>
    OpenBlas,

    /// <summary>The system reference interface: <c>liblapack.so.3</c> and <c>libblas.so.3</c> (whatever the
    /// distribution's alternatives point to).</summary>
    SystemLapack,

    /// <summary>An NVIDIA GPU (cuSOLVER and cuBLAS), installed with
    /// <see cref="Compute.ComputeContext.UseForLinearAlgebra()"/>; not selectable by <see cref="Backend.Use"/>.</summary>
    Cuda,
}
