using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace NtkSharp.LinearAlgebra.Native;

/// <summary>The loaded native library (or LAPACK + BLAS pair) of one <see cref="BackendKind"/>.</summary>
internal sealed unsafe class NativeLibrarySet
{
    /// <summary>The OpenBLAS variable that overrides its CPU detection (honoured by DYNAMIC_ARCH builds).</summary>
    public const string CoreTypeVariable = "OPENBLAS_CORETYPE";

    private static readonly object CoreTypeLock = new();
    private static string? _coreTypeNote;

    private readonly nint _lapack;
    private readonly nint _blas;
    private readonly BackendKind _kind;

    private NativeLibrarySet(BackendKind kind, nint lapack, nint blas)
    {
        _kind = kind;
        _lapack = lapack;
        _blas = blas;
    }

    /// <summary>What NtkSharp did about <c>OPENBLAS_CORETYPE</c> (null before an OpenBLAS-capable load).</summary>
    public static string? CoreTypeNote => _coreTypeNote;

    private static string[] Candidates(BackendKind kind) => kind switch
    {
        BackendKind.Mkl => OperatingSystem.IsWindows() ? ["mkl_rt.2.dll", "mkl_rt.dll"]
            : OperatingSystem.IsMacOS() ? ["libmkl_rt.2.dylib", "libmkl_rt.dylib"]
            : ["libmkl_rt.so.2", "libmkl_rt.so", "libmkl_rt.so.1"],
        BackendKind.OpenBlas => OperatingSystem.IsWindows() ? ["libopenblas.dll", "openblas.dll"]
            : OperatingSystem.IsMacOS() ? ["libopenblas.0.dylib", "libopenblas.dylib"]
            : ["libopenblas.so.0", "libopenblas.so"],
        BackendKind.SystemLapack => OperatingSystem.IsWindows() ? ["liblapack.dll"]
            : OperatingSystem.IsMacOS() ? ["liblapack.3.dylib", "liblapack.dylib"]
            : ["liblapack.so.3", "liblapack.so"],
        _ => [],
    };

    private static string[] BlasCandidates() => OperatingSystem.IsWindows() ? ["libblas.dll"]
        : OperatingSystem.IsMacOS() ? ["libblas.3.dylib", "libblas.dylib"]
        : ["libblas.so.3", "libblas.so"];

    public static NativeLibrarySet? TryLoad(BackendKind kind, out string? failure)
    {
        failure = null;
        if (kind is BackendKind.OpenBlas or BackendKind.SystemLapack) PrepareOpenBlasCoreType();
        nint lapack = LoadFirst(Candidates(kind));
        if (lapack == 0)
        {
            failure = $"none of {string.Join(", ", Candidates(kind))} could be loaded";
            return null;
        }
        nint blas = lapack;
        if (kind == BackendKind.SystemLapack && !NativeLibrary.TryGetExport(lapack, "dgemm_", out _))
        {
            blas = LoadFirst(BlasCandidates());
            if (blas == 0)
            {
                failure = $"none of {string.Join(", ", BlasCandidates())} could be loaded";
                return null;
            }
        }
        var set = new NativeLibrarySet(kind, lapack, blas);
        foreach (var s in new[] { "dsyevd_", "dpotrf_", "dpotrs_" })
        {
            if (!NativeLibrary.TryGetExport(lapack, s, out _)) { failure = $"the library has no LAPACK symbol {s}"; return null; }
        }
        foreach (var s in new[] { "dgemm_", "dsyrk_" })
        {
            if (!NativeLibrary.TryGetExport(blas, s, out _)) { failure = $"the library has no BLAS symbol {s}"; return null; }
        }
        return set;
    }

    public nint Lapack(string symbol) => NativeLibrary.GetExport(_lapack, symbol);

    public nint Blas(string symbol) => NativeLibrary.GetExport(_blas, symbol);

    public BackendInfo Describe(string reason)
    {
        var paths = new List<string>();
        if (LibC.PathOf(Lapack("dsyevd_")) is { } lp) paths.Add(lp);
        if (LibC.PathOf(Blas("dgemm_")) is { } bp && !paths.Contains(bp)) paths.Add(bp);
        string? core = null, config = null;
        int threads = Environment.ProcessorCount;
        var buf = stackalloc byte[256];
        foreach (nint h in new[] { _blas, _lapack }.Distinct())
        {
            if (core is null && NativeLibrary.TryGetExport(h, "openblas_get_corename", out nint fc))
                core = Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)fc)());
            if (config is null && NativeLibrary.TryGetExport(h, "openblas_get_config", out nint fg))
                config = Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)fg)());
            if (NativeLibrary.TryGetExport(h, "openblas_get_num_threads", out nint ft))
                threads = ((delegate* unmanaged<int>)ft)();
            if (_kind == BackendKind.Mkl && NativeLibrary.TryGetExport(h, "MKL_Get_Max_Threads", out nint fm))
                threads = ((delegate* unmanaged<int>)fm)();
            if (_kind == BackendKind.Mkl && config is null && NativeLibrary.TryGetExport(h, "MKL_Get_Version_String", out nint fv))
            {
                ((delegate* unmanaged<byte*, int, void>)fv)(buf, 256);
                config = Marshal.PtrToStringUTF8((nint)buf)?.Trim();
            }
        }
        if (core is not null && _coreTypeNote is not null) reason += "; " + _coreTypeNote;
        return new BackendInfo(_kind, paths, core, config, threads, reason);
    }

    private static nint LoadFirst(string[] names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out nint h)) return h;
        }
        return 0;
    }

    /// <summary>
    /// OpenBLAS 0.3.21 (Debian 12) detects AMD Zen 4/5 CPUs as Haswell and so never uses its AVX-512 kernels
    /// (about 1.6× slower dgemm on the reference Zen 5 machine). When the CPU has AVX-512F and the user has not set
    /// <c>OPENBLAS_CORETYPE</c>, set it to SkylakeX in the native environment before OpenBLAS is loaded (it reads
    /// the variable once, in its load-time constructor).
    /// </summary>
    private static void PrepareOpenBlasCoreType()
    {
        lock (CoreTypeLock)
        {
            if (_coreTypeNote is not null) return;
            var existing = LibC.GetEnv(CoreTypeVariable);
            if (!string.IsNullOrEmpty(existing))
                _coreTypeNote = $"{CoreTypeVariable}={existing} set by the user";
            else if (!Avx512F.IsSupported)
                _coreTypeNote = $"{CoreTypeVariable} not set (no AVX-512)";
            else if (LibC.SetEnv(CoreTypeVariable, "SkylakeX"))
                _coreTypeNote = $"{CoreTypeVariable}=SkylakeX set by NtkSharp (AVX-512F present)";
            else
                _coreTypeNote = $"{CoreTypeVariable} could not be set natively";
        }
    }
}
