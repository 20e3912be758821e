namespace NtkSharp.Layers;

/// <summary>
/// What composition validation tracks about one signal flowing through an architecture.
/// </summary>
/// <param name="Gaussian">At infinite width the signal is a centred Gaussian process (an affine layer's output, or a
/// linear function of such outputs). Dual activations are exact only on Gaussian inputs.</param>
/// <param name="ZeroMeanFresh">The signal went through an affine layer with fresh zero-mean weights since the last
/// <c>FanOut</c> (and no nonlinearity since), so it is uncorrelated with every other branch: <c>FanInSum</c> may add
/// kernels only when at most one summand lacks this.</param>
/// <param name="Shape">The per-example shape when known (null during shape-free validation).</param>
/// <param name="Id">The signal's number in a <see cref="LayerGraph"/> (0: the network input; 0 everywhere when no graph
/// is recorded).</param>
internal readonly record struct Branch(bool Gaussian, bool ZeroMeanFresh, int[]? Shape, int Id = 0)
{
    public static Branch RawInput(int[]? shape) => new(false, false, shape);

    public static Branch GaussianInput(int[]? shape) => new(true, true, shape);
}
