using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace NtkSharp.ScaleOut;

/// <summary>
/// A file opened for memory-mapped windows: each <see cref="Map"/> maps just the byte range a tile touches and unmaps
/// it on dispose, so the process holds only the tiles in flight while the kernel writes finished pages back to the
/// file at its own pace. On Linux the windows are plain <c>mmap(MAP_SHARED)</c>/<c>munmap</c> (no <c>msync</c> per
/// window: the page cache writes back); elsewhere .NET's <see cref="MemoryMappedFile"/>.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private const int ProtRead = 1, ProtWrite = 2, MapShared = 1;
    private static readonly nint Libc = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out nint h) ? h : 0;
    private const int MadvRandom = 1, MadvSequential = 2;
    private static readonly nint MmapFn = Export("mmap"), MunmapFn = Export("munmap"), MadviseFn = Export("madvise");

    private readonly FileStream _stream;
    private readonly MemoryMappedFile? _managed;
    private readonly bool _writable;

    private MappedFile(FileStream stream, bool writable)
    {
        _stream = stream;
        _writable = writable;
        Length = stream.Length;
        if (MmapFn == 0 || MunmapFn == 0)
        {
            _managed = MemoryMappedFile.CreateFromFile(stream, null, 0,
                writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        }
    }

    /// <summary>The open file, for positioned reads and writes beside the windows.</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle Handle => _stream.SafeFileHandle;

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>Creates (or truncates) <paramref name="path"/> with <paramref name="header"/> at its start and room for
    /// <paramref name="dataBytes"/> bytes after it (a sparse extension: nothing is written yet).</summary>
    public static MappedFile Create(string path, ReadOnlySpan<byte> header, long dataBytes)
    {
        var fs = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1);
        try
        {
            fs.Write(header);
            fs.SetLength(header.Length + dataBytes);
            fs.Flush();
            return new MappedFile(fs, true);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing file for reading windows.</summary>
    public static MappedFile OpenRead(string path)
    {
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        try
        {
            return new MappedFile(fs, false);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    /// <summary>Maps bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>).
    /// <paramref name="scattered"/>: the window is touched in short pieces far apart (a tile's rows in a wide matrix), so
    /// page faults must not read ahead (<c>MADV_RANDOM</c>: otherwise every touched page of a new, sparse file drags in
    /// and zero-fills dozens of neighbours); else it is read front to back (<c>MADV_SEQUENTIAL</c>).</summary>
    public Window Map(long offset, long length, bool scattered = false)
    {
        if (offset < 0 || length <= 0 || offset + length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Window [{offset}, {offset + length}) outside the {Length}-byte file {_stream.Name}.");
        if (_managed is not null)
        {
            var view = _managed.CreateViewAccessor(offset, length, _writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            return new Window(p + view.PointerOffset, 0, 0, view);
        }
        long page = Environment.SystemPageSize;
        long start = offset / page * page;
        nuint size = (nuint)(offset + length - start);
        var mmap = (delegate* unmanaged<nint, nuint, int, int, int, long, nint>)MmapFn;
        nint addr = mmap(0, size, _writable ? ProtRead | ProtWrite : ProtRead, MapShared, (int)_stream.SafeFileHandle.DangerousGetHandle(), start);
        if (addr == -1)
            throw new IOException($"Cannot map {length} bytes of {_stream.Name} at offset {offset} (mmap errno {Marshal.GetLastSystemError()}).");
        if (MadviseFn != 0) ((delegate* unmanaged<nint, nuint, int, int>)MadviseFn)(addr, size, scattered ? MadvRandom : MadvSequential);
        return new Window((byte*)addr + (offset - start), addr, size, null);
    }

    public void Dispose()
    {
        _managed?.Dispose();
        _stream.Dispose();
    }

    private static nint Export(string name) => Libc != 0 && NativeLibrary.TryGetExport(Libc, name, out nint f) ? f : 0;

    /// <summary>A mapped byte range; unmapped on dispose.</summary>
    public readonly struct Window : IDisposable
    {
        private readonly nint _base;
        private readonly nuint _size;
        private readonly MemoryMappedViewAccessor? _view;

        internal Window(byte* pointer, nint mappedBase, nuint size, MemoryMappedViewAccessor? view)
        {
            Pointer = pointer;
            _base = mappedBase;
            _size = size;
            _view = view;
        }

        /// <summary>The first byte of the requested range.</summary>
        public byte* Pointer { get; }

        public void Dispose()
        {
            if (_view is not null)
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
                _view.Dispose();
            }
            else if (_base != 0)
            {
                ((delegate* unmanaged<nint, nuint, int>)MunmapFn)(_base, _size);
            }
        }
    }
}
