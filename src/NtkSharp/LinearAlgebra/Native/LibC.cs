using System.Runtime.InteropServices;

namespace NtkSharp.LinearAlgebra.Native;

/// <summary>The few libc functions needed around native BLAS loading (Linux/glibc; absent elsewhere).</summary>
internal static unsafe class LibC
{
    private static readonly nint Handle = TryLoad();

    private static nint TryLoad()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        return NativeLibrary.TryLoad("libc.so.6", out nint h) ? h : 0;
    }

    /// <summary>The process environment as native code sees it (<c>getenv</c>): .NET's
    /// <see cref="Environment.GetEnvironmentVariable(string)"/> reads a managed copy.</summary>
    public static string? GetEnv(string name)
    {
        if (Handle == 0 || !NativeLibrary.TryGetExport(Handle, "getenv", out nint f))
            return Environment.GetEnvironmentVariable(name);
        var getenv = (delegate* unmanaged<byte*, byte*>)f;
        var bytes = NullTerminated(name);
        fixed (byte* p = bytes) return Marshal.PtrToStringUTF8((nint)getenv(p));
    }

    /// <summary>Sets a variable in the native environment (<c>setenv</c>), so that native libraries loaded later
    /// see it; <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach native getenv.</summary>
    public static bool SetEnv(string name, string value)
    {
        if (Handle == 0 || !NativeLibrary.TryGetExport(Handle, "setenv", out nint f)) return false;
        var setenv = (delegate* unmanaged<byte*, byte*, int, int>)f;
        var n = NullTerminated(name);
        var v = NullTerminated(value);
        fixed (byte* pn = n)
        fixed (byte* pv = v)
        {
            return setenv(pn, pv, 1) == 0;
        }
    }

    /// <summary>The file a loaded symbol lives in (<c>dladdr</c>), with symbolic links resolved.</summary>
    public static string? PathOf(nint symbol)
    {
        if (Handle == 0 || symbol == 0 || !NativeLibrary.TryGetExport(Handle, "dladdr", out nint f)) return null;
        var dladdr = (delegate* unmanaged<nint, DlInfo*, int>)f;
        DlInfo info;
        if (dladdr(symbol, &info) == 0 || info.FileName == 0) return null;
        string? path = Marshal.PtrToStringUTF8(info.FileName);
        if (path is null) return null;
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return path;
        }
    }

    /// <summary>Asks the kernel to back [<paramref name="start"/>, +<paramref name="bytes"/>) with transparent huge
    /// pages (<c>madvise(MADV_HUGEPAGE)</c>, on the page-aligned interior); a hint, ignored where unsupported.</summary>
    public static void AdviseHugePages(void* start, long bytes)
    {
        if (Handle == 0 || _madvise == 0) return;
        const long Page = 4096;
        long s = ((long)start + Page - 1) & ~(Page - 1), e = ((long)start + bytes) & ~(Page - 1);
        if (e - s < 2 * 1024 * 1024) return;
        ((delegate* unmanaged<nint, nuint, int, int>)_madvise)((nint)s, (nuint)(e - s), 14);
    }

    private static readonly nint _madvise = Handle != 0 && NativeLibrary.TryGetExport(Handle, "madvise", out nint m) ? m : 0;

    private static byte[] NullTerminated(string s)
    {
        var b = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, b);
        return b;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public nint FileName;
        public nint FileBase;
        public nint SymbolName;
        public nint SymbolAddress;
    }
}
