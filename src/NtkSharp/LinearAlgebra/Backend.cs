using System.Diagnostics;
using System.Text;
using NtkSharp.LinearAlgebra.Native;

namespace NtkSharp.LinearAlgebra;

/// <summary>
/// The dense linear algebra backend used by NtkSharp's factorisations (<see cref="SymmetricEigen"/>,
/// <see cref="CholeskyFactor"/>), products (<see cref="DenseOps"/>), the input Gram matrix of the CPU kernel engine,
/// and the predictors.
/// </summary>
/// <remarks>
/// <para>On first use the backend is resolved in this order: the environment variable
/// <c>NTKSHARP_BACKEND</c> (<c>managed</c>, <c>mkl</c>, <c>openblas</c>, <c>system</c> or <c>auto</c>), else the
/// first native library that loads among Intel MKL (<c>libmkl_rt.so</c>), OpenBLAS (<c>libopenblas.so.0</c>) and
/// the system <c>liblapack.so.3</c> + <c>libblas.so.3</c>; if none loads, MathNet.Numerics' managed provider, with a
/// one-time notice on standard error and <see cref="Trace"/>. <see cref="Use"/> forces a backend at run time.</para>
/// <para>OpenBLAS: when the CPU has AVX-512F and <c>OPENBLAS_CORETYPE</c> is not set, NtkSharp sets it to
/// <c>SkylakeX</c> with libc <c>setenv</c> before loading OpenBLAS (OpenBLAS 0.3.21 detects AMD Zen 4/5 as Haswell
/// and leaves its AVX-512 kernels unused; .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// would not reach the native <c>getenv</c>). Set the variable yourself to override this.</para>
/// <para>All native calls use the LP64 (32-bit integer) interface; matrices are limited to n ≤ 46340 by .NET
/// array sizes anyway.</para>
/// </remarks>
public static class Backend
{
    /// <summary>The environment variable read on first use: <c>managed</c>, <c>mkl</c>, <c>openblas</c>,
    /// <c>system</c> or <c>auto</c> (case-insensitive).</summary>
    public const string EnvironmentVariable = "NTKSHARP_BACKEND";

    private static readonly object Gate = new();
    private static readonly Dictionary<BackendKind, NativeProvider> Loaded = [];
    private static DenseProvider? _provider;
    private static bool _noticeShown;

    /// <summary>The active backend, resolved on first access.</summary>
    public static BackendInfo Info => Provider.Info;

    /// <summary>The kind of the active backend.</summary>
    public static BackendKind Active => Provider.Info.Kind;

    /// <summary>True when a native LAPACK/BLAS is active.</summary>
    public static bool IsNative => Provider.Info.Kind != BackendKind.Managed;

    internal static DenseProvider Provider => Volatile.Read(ref _provider) ?? Initialize();

    /// <summary>The managed provider, for cross-checks that must not depend on the active backend.</summary>
    internal static DenseProvider ManagedInstance { get; } = ManagedProvider.Create("requested");

    /// <summary>A multi-line, human-readable description: kind, library paths, OpenBLAS core and configuration,
    /// threads, and why this backend was chosen.</summary>
    public static string Describe()
    {
        var i = Info;
        var sb = new StringBuilder();
        sb.Append("backend: ").AppendLine(i.Kind.ToString());
        foreach (var p in i.LibraryPaths) sb.Append("library: ").AppendLine(p);
        if (i.CoreName is not null) sb.Append("openblas core: ").AppendLine(i.CoreName);
        if (i.Configuration is not null) sb.Append("configuration: ").AppendLine(i.Configuration);
        sb.Append("threads: ").AppendLine(i.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        sb.Append("reason: ").Append(i.Reason);
        return sb.ToString();
    }

    /// <summary>Forces <paramref name="kind"/> for all later calls in the process.</summary>
    /// <exception cref="InvalidOperationException">The native library of <paramref name="kind"/> cannot be loaded
    /// (the message says why); the active backend is unchanged.</exception>
    public static void Use(BackendKind kind)
    {
        if (!TryUse(kind, out string? failure))
            throw new InvalidOperationException($"Cannot use the {kind} linear algebra backend: {failure}.");
    }

    /// <summary>Forces <paramref name="kind"/> when its library loads; returns false (and leaves the backend
    /// unchanged) otherwise.</summary>
    public static bool TryUse(BackendKind kind) => TryUse(kind, out _);

    /// <summary>Re-runs the automatic choice (MKL, OpenBLAS, system LAPACK, managed), ignoring
    /// <see cref="EnvironmentVariable"/>.</summary>
    public static void UseAutomatic()
    {
        lock (Gate) Volatile.Write(ref _provider, Resolve(null));
    }

    /// <summary>Installs <paramref name="provider"/> (a provider that is not a library kind, e.g. the CUDA provider of a
    /// compute context) and returns the one it replaces.</summary>
    internal static DenseProvider Exchange(DenseProvider provider)
    {
        lock (Gate)
        {
            var previous = Provider;
            Volatile.Write(ref _provider, provider);
            return previous;
        }
    }

    private static bool TryUse(BackendKind kind, out string? failure)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown backend kind.");
        if (kind == BackendKind.Cuda)
        {
            failure = "the CUDA backend is installed with ComputeContext.UseForLinearAlgebra()";
            return false;
        }
        lock (Gate)
        {
            failure = null;
            DenseProvider? p = kind == BackendKind.Managed ? ManagedProvider.Create("forced by Backend.Use") : Load(kind, "forced by Backend.Use", out failure);
            if (p is null) return false;
            Volatile.Write(ref _provider, p);
            return true;
        }
    }

    private static DenseProvider Initialize()
    {
        lock (Gate)
        {
            if (_provider is not null) return _provider;
            var env = Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim().ToLowerInvariant();
            BackendKind? forced = env switch
            {
                null or "" or "auto" => null,
                "managed" => BackendKind.Managed,
                "mkl" => BackendKind.Mkl,
                "openblas" => BackendKind.OpenBlas,
                "system" or "systemlapack" or "lapack" => BackendKind.SystemLapack,
                _ => null,
            };
            if (env is not (null or "" or "auto") && forced is null)
                Notice($"NtkSharp: {EnvironmentVariable}='{env}' is not one of managed, mkl, openblas, system, auto; choosing automatically.");
            var p = Resolve(forced);
            Volatile.Write(ref _provider, p);
            return p;
        }
    }

    private static DenseProvider Resolve(BackendKind? forced)
    {
        if (forced == BackendKind.Managed) return ManagedProvider.Create($"{EnvironmentVariable}=managed");
        if (forced is { } k)
        {
            var p = Load(k, $"{EnvironmentVariable}={k}", out string? why);
            if (p is not null) return p;
            Notice($"NtkSharp: {EnvironmentVariable} asks for {k} but it cannot be loaded ({why}); using MathNet's managed linear algebra (much slower for large matrices).");
            return ManagedProvider.Create($"{k} requested but not loadable: {why}");
        }
        var failures = new List<string>();
        foreach (var kind in new[] { BackendKind.Mkl, BackendKind.OpenBlas, BackendKind.SystemLapack })
        {
            var p = Load(kind, "first native library found (MKL, OpenBLAS, system LAPACK)", out string? why);
            if (p is not null) return p;
            failures.Add($"{kind}: {why}");
        }
        Notice("NtkSharp: no native LAPACK/BLAS found (" + string.Join("; ", failures) +
               "); using MathNet's managed linear algebra, 8-60x slower for large matrices. Install OpenBLAS (e.g. libopenblas0) for speed.");
        return ManagedProvider.Create("no native library found");
    }

    private static NativeProvider? Load(BackendKind kind, string reason, out string? failure)
    {
        failure = null;
        if (Loaded.TryGetValue(kind, out var cached)) return cached.WithReason(reason);
        var p = NativeProvider.TryLoad(kind, reason, out failure);
        if (p is not null) Loaded[kind] = p;
        return p;
    }

    private static void Notice(string message)
    {
        if (_noticeShown) return;
        _noticeShown = true;
        Trace.TraceWarning(message);
        try
        {
            Console.Error.WriteLine(message);
        }
        catch (IOException)
        {
        }
    }
}
