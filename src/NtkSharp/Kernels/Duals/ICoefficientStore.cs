using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Where <see cref="QuadratureDual"/> reads and writes coefficient records (see <see cref="QuadratureDual.RecordLength"/>):
/// a managed array on the CPU (<see cref="ArrayCoefficients"/>), a device buffer in the GPU kernels. A struct, so that
/// the shared routines specialise per store and compile into ILGPU kernels.
/// </summary>
internal interface ICoefficientStore
{
    /// <summary>Element <paramref name="i"/>.</summary>
    double this[long i] { get; set; }
}

/// <summary>Coefficient records in a managed array (the CPU engines).</summary>
internal readonly struct ArrayCoefficients(double[] values) : ICoefficientStore
{
    private readonly double[] _values = values;

    /// <inheritdoc />
    public double this[long i]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), (nint)i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), (nint)i) = value;
    }
}
