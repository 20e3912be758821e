using ILGPU;
using NtkSharp.Finite;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu.Ensembles;

/// <summary>
/// The element-wise device kernels of the GPU ensemble, each over all members at once: index e covers member
/// m = e / count and element i = e mod count of that member's block, which starts at m·stride (a stride of 0 shares one
/// block, e.g. the training inputs). The activation math is the registry's device dispatch (<see cref="DeviceActivations"/>), whose bodies the CPU's finite ops run too.
/// </summary>
internal static class EnsembleKernels
{
    /// <summary>Largest thread group of <see cref="Residual"/> (a power of two).</summary>
    public const int ReductionGroup = 256;

    /// <summary>y = φ(z).</summary>
    public static void Activate(Index1D e, ArrayView<double> z, long zStride, ArrayView<double> y, long yStride, int count,
        ActivationSpec f)
    {
        int m = e / count, i = e - m * count;
        y[m * yStride + i] = DeviceActivations.Value(f, z[m * zStride + i]);
    }

    /// <summary>∂L/∂z = φ'(z)·∂L/∂y.</summary>
    public static void ActivationGradient(Index1D e, ArrayView<double> z, long zStride, ArrayView<double> gy, ArrayView<double> gz,
        long gStride, int count, ActivationSpec f)
    {
        int m = e / count, i = e - m * count;
        long gi = m * gStride + i;
        gz[gi] = DeviceActivations.Derivative(f, z[m * zStride + i]) * gy[gi];
    }

    /// <summary>Dropout: dst = m·src/rate with member m's mask <see cref="DropoutMask.Keep"/>(MemberKey(passKey, m), op,
    /// element i) — the forward values and, with the same mask, the gradient.</summary>
    public static void Dropout(Index1D e, ArrayView<double> src, long srcStride, ArrayView<double> dst, long dstStride, int count,
        ulong passKey, int op, double rate)
    {
        int m = e / count, i = e - m * count;
        ulong key = DropoutMask.MemberKey(passKey, m);
        dst[m * dstStride + i] = DropoutMask.Keep(key, op, i, rate) ? src[m * srcStride + i] / rate : 0.0;
    }

    /// <summary>dst = src.</summary>
    public static void Copy(Index1D e, ArrayView<double> src, long srcStride, ArrayView<double> dst, long dstStride, int count)
    {
        int m = e / count, i = e - m * count;
        dst[m * dstStride + i] = src[m * srcStride + i];
    }

    /// <summary>dst += src.</summary>
    public static void Accumulate(Index1D e, ArrayView<double> src, long srcStride, ArrayView<double> dst, long dstStride, int count)
    {
        int m = e / count, i = e - m * count;
        dst[m * dstStride + i] += src[m * srcStride + i];
    }

    /// <summary>z[row, j] += scale·b_m[j] for rows of <paramref name="width"/> values; <paramref name="bias"/> starts at
    /// member 0's b, members <paramref name="parameterStride"/> apart.</summary>
    public static void AddBias(Index1D e, ArrayView<double> z, long zStride, int count, int width, ArrayView<double> bias,
        long parameterStride, double scale)
    {
        int m = e / count, i = e - m * count;
        z[m * zStride + i] += scale * bias[m * parameterStride + i % width];
    }

    /// <summary>∂L/∂b_m[j] = scale·Σ_rows g[row, j], over index e = m·width + j.</summary>
    public static void BiasGradient(Index1D e, ArrayView<double> g, long gStride, int rows, int width, ArrayView<double> gradient,
        long parameterStride, double scale)
    {
        int m = e / width, j = e - m * width;
        long base0 = m * gStride + j;
        double s = 0.0;
        for (int r = 0; r < rows; r++) s += g[base0 + (long)r * width];
        gradient[m * parameterStride + j] = scale * s;
    }

    /// <summary>Mini-batch rows: dst[m, b, :] = src[indices[m·batch + b], :] over index e = (m·batch + b)·width + c.</summary>
    public static void Gather(Index1D e, ArrayView<double> src, ArrayView<int> indices, int width, ArrayView<double> dst)
    {
        int row = e / width, c = e - row * width;
        dst[e] = src[(long)indices[row] * width + c];
    }

    /// <summary>The (stochastic) gradient step θ += a·g over all members' parameters (a = −η).</summary>
    public static void Step(Index1D e, ArrayView<double> parameters, ArrayView<double> gradient, double a)
    {
        parameters[e] += a * gradient[e];
    }

    /// <summary>
    /// One thread group per member (grid index m): the residual (f − y)/n into <paramref name="residual"/> and the loss
    /// ½·mean((f − y)²) into <paramref name="loss"/>[m], summed by a shared-memory tree (group size a power of two).
    /// </summary>
    public static void Residual(ArrayView<double> f, long fStride, ArrayView<double> y, long yStride, ArrayView<double> residual,
        long residualStride, int n, ArrayView<double> loss)
    {
        var partial = SharedMemory.Allocate<double>(ReductionGroup);
        long m = Grid.IdxX;
        int t = Group.IdxX, g = Group.DimX;
        double inv = 1.0 / n, s = 0.0;
        for (int i = t; i < n; i += g)
        {
            double r = f[m * fStride + i] - y[m * yStride + i];
            s += r * r;
            residual[m * residualStride + i] = r * inv;
        }
        partial[t] = s;
        Group.Barrier();
        for (int h = g / 2; h > 0; h /= 2)
        {
            if (t < h) partial[t] += partial[t + h];
            Group.Barrier();
        }
        if (t == 0) loss[m] = 0.5 * partial[0] * inv;
    }
}
