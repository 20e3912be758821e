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
/// <param name="Input">The signal is the network input or was computed from it by layers without infinitely many
/// features (routing, Flatten, pooling): layers that need a hidden layer's many units (<see cref="Dropout"/>) refuse it.</param>
internal readonly record struct Branch(bool Gaussian, bool ZeroMeanFresh, int[]? Shape, int Id = 0, bool Input = false)
{
    public static Branch RawInput(int[]? shape) => new(false, false, shape, Input: true);

    public static Branch GaussianInput(int[]? shape) => new(true, true, shape);
}
