using System.Runtime.InteropServices;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// A CUDA vendor library (cuBLAS, cuSOLVER) loaded by versioned name. ILGPU.Algorithms' bindings only probe
/// <c>libcublas.so.10/11/12</c>, while CUDA 13 installs <c>libcublas.so.13</c> and <c>libcusolver.so.12</c>; this loader
/// tries the newest names first, in the directory of <c>NTKSHARP_CUDA_LIB_DIR</c>, then the loader's search path
/// (<c>LD_LIBRARY_PATH</c>, the ldconfig cache), then the usual toolkit folders.
/// </summary>
internal sealed class NativeCudaLibrary : IDisposable
{
    private NativeCudaLibrary(IntPtr handle, string name)
    {
        Handle = handle;
        Name = name;
    }

    /// <summary>The OS handle.</summary>
    public IntPtr Handle { get; }

    /// <summary>The file that was loaded.</summary>
    public string Name { get; }

    /// <summary>Candidate file names of cuBLAS, newest first.</summary>
    public static readonly string[] CublasNames = OperatingSystem.IsWindows()
        ? ["cublas64_13.dll", "cublas64_12.dll", "cublas64_11.dll"]
        : ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"];

    /// <summary>Candidate file names of cuSOLVER, newest first (CUDA 13 ships cuSOLVER 12, CUDA 12 ships 11).</summary>
    public static readonly string[] CusolverNames = OperatingSystem.IsWindows()
        ? ["cusolver64_12.dll", "cusolver64_11.dll"]
        : ["libcusolver.so.12", "libcusolver.so.13", "libcusolver.so.11", "libcusolver.so"];

    /// <summary>Loads the first of <paramref name="names"/> that can be loaded, or returns null.</summary>
    public static NativeCudaLibrary? TryLoad(IReadOnlyList<string> names)
    {
        foreach (var candidate in Candidates(names))
        {
            if (NativeLibrary.TryLoad(candidate, out var handle)) return new NativeCudaLibrary(handle, candidate);
        }
        return null;
    }

    /// <summary>Every path tried, in order: the override directory, bare names (loader search path), toolkit folders.</summary>
    internal static IEnumerable<string> Candidates(IReadOnlyList<string> names)
    {
        var dirs = new List<string>();
        if (Environment.GetEnvironmentVariable("NTKSHARP_CUDA_LIB_DIR") is { Length: > 0 } overrideDir) dirs.Add(overrideDir);
        foreach (var n in names)
        {
            foreach (var dir in dirs) yield return Path.Combine(dir, n);
        }
        foreach (var n in names) yield return n;
        if (OperatingSystem.IsWindows()) yield break;
        var roots = new List<string> { "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/x86_64-linux-gnu" };
        if (Directory.Exists("/usr/local"))
        {
            roots.AddRange(Directory.EnumerateDirectories("/usr/local", "cuda-*").OrderDescending()
                .Select(d => Path.Combine(d, "lib64")));
        }
        foreach (var n in names)
        {
            foreach (var root in roots) yield return Path.Combine(root, n);
        }
    }

    /// <summary>The address of the exported function <paramref name="symbol"/>.</summary>
    /// <exception cref="EntryPointNotFoundException">The library lacks it.</exception>
    public IntPtr Export(string symbol) => NativeLibrary.GetExport(Handle, symbol);

    /// <summary>The file name that was loaded.</summary>
    public string Describe() => Path.GetFileName(Name);

    /// <summary>Unloads the library.</summary>
    public void Dispose() => NativeLibrary.Free(Handle);
}
