using ILGPU;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Compute.Gpu;

/// <summary>Coefficient records in a device buffer (<see cref="ICoefficientStore"/> for the GPU kernels).</summary>
internal readonly struct ViewCoefficients(ArrayView<double> view) : ICoefficientStore
{
    private readonly ArrayView<double> _view = view;

    /// <inheritdoc />
    public double this[long i]
    {
        get => _view[i];
        set => _view[i] = value;
    }
}

/// <summary>Where the quadrature activations' coefficient records of an example sit on the device (a kernel
/// argument): example i's record number q is at (i·<see cref="Sets"/> + q)·<see cref="Record"/>.</summary>
/// <param name="Sets">Records per example: one per quadrature activation of a vector program, one per position of each
/// quadrature activation of a spatial program.</param>
/// <param name="Degree">Hermite terms per record (<see cref="QuadratureDual.DefaultDegree"/>).</param>
internal readonly record struct QuadratureArgs(int Sets, int Degree)
{
    /// <summary>Doubles per record (<see cref="QuadratureDual.RecordLength"/>).</summary>
    public int Record => QuadratureDual.RecordLength(Degree);

    /// <summary>Where example <paramref name="example"/>'s record <paramref name="set"/> starts.</summary>
    public long At(int example, int set) => ((long)example * Sets + set) * Record;
}

/// <summary>The device memory of the coefficient records, and its check against the engine's budget.</summary>
internal static class QuadratureMemory
{
    /// <summary>The common degree of a program's quadrature activations (<see cref="QuadratureDual.DefaultDegree"/> when
    /// it has none).</summary>
    /// <exception cref="NotSupportedException">Two quadrature activations use different degrees.</exception>
    public static int Degree(IEnumerable<Kernels.ActivationFamily?> families)
    {
        var degrees = families.Where(f => f is { QuadratureDegree: > 0 }).Select(f => f!.QuadratureDegree).Distinct().ToList();
        if (degrees.Count > 1)
            throw new NotSupportedException($"The GPU engine needs one quadrature degree per network; this one mixes {string.Join(", ", degrees)}.");
        return degrees.Count == 1 ? degrees[0] : QuadratureDual.DefaultDegree;
    }

    /// <summary>
    /// The bytes of the records of <paramref name="examples"/> examples, 8·(2·degree + 4) per record (2,080 at the
    /// default degree); the rest of <paramref name="budgetBytes"/> is left for the engine's other buffers.
    /// </summary>
    /// <param name="q">The records per example and their degree.</param>
    /// <param name="examples">Examples of x1 and x2 together.</param>
    /// <param name="budgetBytes">The engine's memory budget.</param>
    /// <param name="layers">The quadrature layers with their paths, for the message.</param>
    /// <exception cref="ArgumentException">The records would take more than half of the budget.</exception>
    public static long Reserve(QuadratureArgs q, long examples, long budgetBytes, IEnumerable<string> layers)
    {
        long bytes = examples * q.Sets * q.Record * sizeof(double);
        if (bytes > budgetBytes / 2)
            throw new ArgumentException(
                $"{string.Join(", ", layers)}: the Hermite coefficients of these quadrature nonlinearities need {bytes:N0} bytes of device memory " +
                $"({examples} examples × {q.Sets} records × {q.Record * sizeof(double):N0} bytes), more than half of the memory budget ({budgetBytes:N0} bytes); " +
                "raise KernelOptions.MemoryBudgetBytes or compute the kernel in blocks of fewer examples.",
                "options");
        return bytes;
    }
}
