using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using NtkSharp.Compute.Cpu;
using NtkSharp.Compute.Gpu;

namespace NtkSharp.Compute;

/// <summary>
/// The device kernels are computed on: the managed CPU engine, an NVIDIA GPU (ILGPU's CUDA accelerator) or ILGPU's CPU
/// accelerator. A context is the only owner of the ILGPU <c>Context</c> and <c>Accelerator</c>; it compiles the device
/// kernels once (on first use) and keeps them for every later computation. Dispose it when done: that frees the
/// device and its memory. Pass it to <see cref="Kernels.KernelFunction(Layers.Layer, ComputeContext)"/>.
/// </summary>
/// <remarks>
/// <see cref="CreateDefault"/> picks the first CUDA GPU when one is present and otherwise the CPU engine.
/// One context serialises the computations submitted to it from several threads (one device stream).
/// No public member exposes device memory: results come back as MathNet matrices.
/// </remarks>
public sealed class ComputeContext : IDisposable
{
    private readonly Context? _context;
    private readonly Accelerator? _accelerator;
    private readonly Lock _gate = new();
    private GpuKernelSet? _kernels;
    private CudaBlas? _blas;
    private CudaSolver? _solver;
    private bool _blasProbed, _solverProbed;
    private bool _disposed;

    private ComputeContext(ComputeBackend backend, Context? context, Accelerator? accelerator)
    {
        Backend = backend;
        _context = context;
        _accelerator = accelerator;
        Engine = backend == ComputeBackend.Cpu ? CpuKernelEngine.Instance : new GpuKernelEngine(this);
    }

    /// <summary>Where this context computes.</summary>
    public ComputeBackend Backend { get; }

    /// <summary>True when ILGPU finds at least one CUDA device on this machine (driver present).</summary>
    public static bool IsCudaAvailable => CudaDeviceCount > 0;

    /// <summary>The number of CUDA devices ILGPU finds (0 without an NVIDIA driver).</summary>
    public static int CudaDeviceCount
    {
        get
        {
            try
            {
                using var context = Context.Create(b => b.Cuda());
                return context.GetCudaDevices().Count;
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or InvalidOperationException or NotSupportedException)
            {
                return 0;
            }
        }
    }

    /// <summary>The first CUDA GPU when one is present, else the managed CPU engine.</summary>
    public static ComputeContext CreateDefault() => IsCudaAvailable ? Cuda(0) : Cpu();

    /// <summary>The managed multithreaded CPU engine.</summary>
    public static ComputeContext Cpu() => new(ComputeBackend.Cpu, null, null);

    /// <summary>The CUDA GPU number <paramref name="deviceIndex"/> (in ILGPU's enumeration order).</summary>
    /// <exception cref="ArgumentOutOfRangeException">No CUDA device with that index (or no CUDA driver at all).</exception>
    public static ComputeContext Cuda(int deviceIndex = 0)
    {
        int count = CudaDeviceCount;
        if (deviceIndex < 0 || deviceIndex >= count)
            throw new ArgumentOutOfRangeException(nameof(deviceIndex), deviceIndex,
                count == 0 ? "No CUDA device was found (NVIDIA driver missing or no GPU)." : $"There are {count} CUDA device(s).");
        var context = Context.Create(b => b.Cuda().Math(MathMode.Default).Optimize(OptimizationLevel.O2));
        try
        {
            var accelerator = context.GetCudaDevice(deviceIndex).CreateAccelerator(context);
            return new ComputeContext(ComputeBackend.Cuda, context, accelerator);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>The GPU kernels on ILGPU's CPU accelerator (a software GPU, for testing device code without a GPU).</summary>
    public static ComputeContext IlgpuCpu()
    {
        var context = Context.Create(b => b.CPU().Math(MathMode.Default));
        try
        {
            return new ComputeContext(ComputeBackend.IlgpuCpu, context, context.CreateCPUAccelerator(0));
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>A one-line description of the device: backend, name, memory, and for CUDA the architecture and which
    /// vendor libraries (cuBLAS, cuSOLVER) were found.</summary>
    public string Describe()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        switch (Backend)
        {
            case ComputeBackend.Cpu:
                return $"CPU engine: {Environment.ProcessorCount} threads, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";
            case ComputeBackend.IlgpuCpu:
                return $"ILGPU CPU accelerator ({_accelerator!.Name}, ILGPU {typeof(Context).Assembly.GetName().Version}): software GPU for testing";
            default:
                var cuda = (CudaAccelerator)_accelerator!;
                string blas = Blas is { } b ? $"cuBLAS {b.Library.Describe()}" : "cuBLAS not found (tiled ILGPU GEMM)";
                string solver = Solver is { } s ? $"cuSOLVER {s.Library.Describe()}" : "cuSOLVER not found";
                return $"CUDA device {cuda.DeviceId}: {cuda.Name}, {cuda.MemorySize / (1024.0 * 1024 * 1024):F1} GiB, " +
                    $"{cuda.Architecture}, PTX {cuda.InstructionSet}, driver {cuda.DriverVersion}; {blas}; {solver}";
        }
    }

    /// <summary>
    /// Routes NtkSharp's dense linear algebra (<see cref="LinearAlgebra.Backend"/>: the eigendecompositions, Cholesky
    /// solves and products of the predictors) to this GPU — cuSOLVER <c>Dsyevd</c>/<c>Dpotrf</c>/<c>Dpotrs</c> and
    /// cuBLAS <c>Dgemm</c>/<c>Dsyrk</c> — until the returned scope is disposed, which restores the previous backend.
    /// Process-wide, like <see cref="LinearAlgebra.Backend.Use"/>; dispose the scope before the context.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is not a CUDA context, or cuBLAS/cuSOLVER cannot be loaded
    /// (set <c>NTKSHARP_CUDA_LIB_DIR</c> to their folder).</exception>
    public IDisposable UseForLinearAlgebra()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Backend != ComputeBackend.Cuda)
            throw new InvalidOperationException($"Linear algebra on the device needs a CUDA context; this one is {Backend}.");
        var blas = Blas ?? throw new InvalidOperationException($"cuBLAS was not found (tried {string.Join(", ", NativeCudaLibrary.CublasNames)}; set NTKSHARP_CUDA_LIB_DIR).");
        var solver = Solver ?? throw new InvalidOperationException($"cuSOLVER was not found (tried {string.Join(", ", NativeCudaLibrary.CusolverNames)}; set NTKSHARP_CUDA_LIB_DIR).");
        return UseForLinearAlgebra(blas, solver, [blas.Library.Name, solver.Library.Name]);
    }

    /// <summary><see cref="UseForLinearAlgebra()"/> with the given vendor routines (tests: managed implementations of
    /// cuBLAS'/cuSOLVER's conventions on ILGPU's CPU accelerator).</summary>
    internal IDisposable UseForLinearAlgebra(IDeviceGemm blas, IDeviceSolver solver, string[] libraries)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var previous = LinearAlgebra.Backend.Exchange(new CudaDenseProvider(this, blas, solver, libraries));
        return new RestoreScope(previous);
    }

    /// <summary>Frees the accelerator, the vendor library handles and the ILGPU context.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _solver?.Dispose();
            _blas?.Dispose();
            (Engine as GpuKernelEngine)?.ReleaseStaging();
            _accelerator?.Dispose();
            _context?.Dispose();
        }
    }

    /// <summary>The engine that evaluates kernels on this context.</summary>
    internal IKernelEngine Engine { get; }

    /// <summary>Serialises use of the accelerator.</summary>
    internal Lock Gate => _gate;

    /// <summary>The default budget of device-only workspaces (the convolutional engine's) when
    /// <see cref="NtkSharp.Kernels.KernelOptions.MemoryBudgetBytes"/> is null: half the total memory of a CUDA device
    /// (leaving the other half to the inputs, results in flight, other kernels and other processes), else
    /// <see cref="NtkSharp.Kernels.KernelOptions.DefaultMemoryBudgetBytes"/>.</summary>
    internal long DeviceWorkspaceBudgetBytes => Backend == ComputeBackend.Cuda
        ? Accelerator.MemorySize / 2
        : NtkSharp.Kernels.KernelOptions.DefaultMemoryBudgetBytes;

    /// <summary>The ILGPU accelerator (GPU backends only).</summary>
    internal Accelerator Accelerator
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _accelerator ?? throw new InvalidOperationException("The CPU engine has no accelerator.");
        }
    }

    /// <summary>The compiled device kernels (compiled on first access, then cached).</summary>
    internal GpuKernelSet Kernels
    {
        get
        {
            lock (_gate) return _kernels ??= new GpuKernelSet(Accelerator);
        }
    }

    /// <summary>cuBLAS bound to the accelerator's stream, or null (not CUDA, or the library was not found).</summary>
    internal CudaBlas? Blas => Probe(ref _blasProbed, ref _blas, CudaBlas.TryCreate);

    /// <summary>The GEMMs of the device engines: cuBLAS on a CUDA context where it was found, else null (the engines
    /// then use their own ILGPU GEMM kernels) — or, in tests, <see cref="DeviceGemmOverride"/>.</summary>
    internal IDeviceGemm? DeviceGemm => DeviceGemmOverride ?? (Backend == ComputeBackend.Cuda ? Blas : null);

    /// <summary>Tests only: GEMMs with cuBLAS' conventions for a non-CUDA context (see <see cref="IDeviceGemm"/>).</summary>
    internal IDeviceGemm? DeviceGemmOverride { get; set; }

    /// <summary>cuSOLVER bound to the accelerator's stream, or null (not CUDA, or the library was not found).</summary>
    internal CudaSolver? Solver => Probe(ref _solverProbed, ref _solver, CudaSolver.TryCreate);

    /// <summary>A vendor library handle bound to the accelerator's stream, created on first use on a CUDA context (null
    /// elsewhere or when the library was not found; not retried).</summary>
    private T? Probe<T>(ref bool probed, ref T? handle, Func<IntPtr, T?> create) where T : class
    {
        lock (_gate)
        {
            if (!probed && Backend == ComputeBackend.Cuda)
            {
                probed = true;
                handle = create(StreamPointer);
            }
            return handle;
        }
    }

    private sealed class RestoreScope(LinearAlgebra.DenseProvider previous) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) LinearAlgebra.Backend.Exchange(previous);
        }
    }

    private IntPtr StreamPointer => ((CudaStream)Accelerator.DefaultStream).StreamPtr;
}
