using System.IO.MemoryMappedFiles;

namespace NtkSharp.IO;

/// <summary>
/// A two-dimensional <c>.npy</c> file (little-endian float64 <c>&lt;f8</c> or float32 <c>&lt;f4</c>) mapped into
/// memory read-only, never copied into managed arrays: for train kernels larger than memory, which the iterative
/// predictor (<see cref="Prediction.GradientDescentMse"/> with <see cref="Prediction.PredictionSolver.Iterative"/>)
/// streams through in row panels. Arithmetic on the values is float64 either way.
/// </summary>
/// <remarks>The operating system pages the file in and out (its pages count as file-backed, evictable memory, not
/// as the process' own allocations). Dispose to unmap; the predictor using it must not be used afterwards.</remarks>
public sealed unsafe class MappedNpyMatrix : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _base;

    private MappedNpyMatrix(string path, int rows, int columns, bool isFloat32, long offset)
    {
        Path = path;
        Rows = rows;
        Columns = columns;
        IsFloat32 = isFloat32;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* p = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            _base = p + _view.PointerOffset + offset;
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>Maps the matrix stored in <paramref name="path"/>.</summary>
    /// <exception cref="NpyFormatException">Not a .npy file, not two-dimensional, not little-endian float64 or
    /// float32, or truncated (the message starts with the path).</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static MappedNpyMatrix Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        long offset, length;
        NpyHeader header;
        NpyDType dtype;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096))
        {
            try
            {
                (header, dtype) = Npy.ReadHeader(stream);
            }
            catch (NpyFormatException e)
            {
                throw new NpyFormatException($"{path}: {e.Message}", e);
            }
            offset = stream.Position;
            length = stream.Length;
        }
        if (header.Shape.Length != 2)
            throw new NpyFormatException($"{path}: a matrix (2-d array) is needed; the file holds shape {NpyHeader.FormatShape(header.Shape)}.");
        bool f8 = dtype.Kind == 'f' && dtype.Size == 8, f4 = dtype.Kind == 'f' && dtype.Size == 4;
        if (!(f8 || f4) || dtype.BigEndian == BitConverter.IsLittleEndian)
            throw new NpyFormatException($"{path}: memory mapping needs little-endian float64 ('<f8') or float32 ('<f4') data; the file holds '{dtype.Descr}'.");
        long needed = offset + (long)header.Shape[0] * header.Shape[1] * dtype.Size;
        if (length < needed)
            throw new NpyFormatException($"{path}: truncated: shape {NpyHeader.FormatShape(header.Shape)} of '{dtype.Descr}' needs {needed} bytes, the file has {length}.");
        if (header.FortranOrder && header.Shape[0] != header.Shape[1])
            throw new NpyFormatException($"{path}: a Fortran-order matrix can be mapped only when it is square.");
        // A square Fortran-order matrix is read as its transpose; the predictors require (and check) symmetry.
        return new MappedNpyMatrix(path, header.Shape[0], header.Shape[1], f4, offset);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>True for float32 storage, false for float64.</summary>
    public bool IsFloat32 { get; }

    /// <summary>Entry (i, j) as float64.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the matrix.</exception>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public double this[int i, int j]
    {
        get
        {
            if ((uint)i >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(i));
            if ((uint)j >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(j));
            return At(i, j);
        }
    }

    internal double At(long i, long j)
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        long p = i * Columns + j;
        return IsFloat32 ? ((float*)_base)[p] : ((double*)_base)[p];
    }

    /// <summary>The first value of row <paramref name="i"/> (float64 storage) or null (float32).</summary>
    internal double* RowPointer64(long i) => IsFloat32 ? null : (double*)_base + i * Columns;

    /// <summary>Row <paramref name="i"/> of float32 storage.</summary>
    internal float* RowPointer32(long i) => IsFloat32 ? (float*)_base + i * Columns : null;

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_base == null, this);

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        if (_base == null) return;
        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
