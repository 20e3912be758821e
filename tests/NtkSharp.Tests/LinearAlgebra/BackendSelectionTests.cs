using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.LinearAlgebra;
using Xunit;

namespace NtkSharp.Tests.LinearAlgebra;

/// <summary>The only tests that switch the process-wide backend (xunit runs one class's tests sequentially); every
/// backend gives the same results to rounding, so concurrently running tests are unaffected.</summary>
public class BackendSelectionTests
{
    [Fact]
    public void Use_Managed_IsReportedAndKernelsMatchNative()
    {
        var before = Backend.Active;
        var x = LinearAlgebraTestData.Random(9, 6, 21).ToArray();
        var kf = new KernelFunction(Stax.Serial(Stax.Dense(64), Stax.Relu(), Stax.Dense(1)));
        var reference = kf.Compute(x);
        try
        {
            Backend.Use(BackendKind.Managed);
            Assert.Equal(BackendKind.Managed, Backend.Active);
            Assert.False(Backend.IsNative);
            Assert.Contains("Managed", Backend.Describe());
            var managed = kf.Compute(x);
            Assert.True(LinearAlgebraTestData.RelativeError(managed.Ntk!, reference.Ntk!) < 1e-13);
            Assert.True(LinearAlgebraTestData.RelativeError(managed.Nngp!, reference.Nngp!) < 1e-13);
        }
        finally
        {
            if (before == BackendKind.Managed) Backend.Use(BackendKind.Managed);
            else Backend.UseAutomatic();
        }
    }

    [Fact]
    public void Describe_ActiveBackend_NamesKindAndLibraries()
    {
        var info = Backend.Info;
        var text = Backend.Describe();
        Assert.Contains(info.Kind.ToString(), text);
        Assert.Equal(info.Kind == BackendKind.Managed, info.LibraryPaths.Count == 0);
        foreach (var p in info.LibraryPaths) Assert.True(File.Exists(p), p);
        Assert.True(info.Threads >= 1);
    }

    [Fact]
    public void TryUse_UnloadableOrUnknownKind_LeavesBackendUnchanged()
    {
        var before = Backend.Active;
        Assert.Throws<ArgumentOutOfRangeException>(() => Backend.Use((BackendKind)42));
        foreach (var kind in new[] { BackendKind.Mkl, BackendKind.OpenBlas, BackendKind.SystemLapack })
        {
            bool loadable = NtkSharp.LinearAlgebra.Native.NativeProvider.TryLoad(kind, "probe", out _) is not null;
            if (loadable) continue;
            Assert.False(Backend.TryUse(kind));
            Assert.Equal(before, Backend.Active);
            Assert.Throws<InvalidOperationException>(() => Backend.Use(kind));
        }
    }
}
