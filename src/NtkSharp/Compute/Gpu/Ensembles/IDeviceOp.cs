namespace NtkSharp.Compute.Gpu.Ensembles;

/// <summary>
/// A finite op that the GPU ensemble can run for all members at once (<see cref="DeviceNetwork"/>): each op emits its
/// own device work — batched GEMMs and element-wise kernels on the member-batched registers — so the device network has
/// no switch over op types. An op without this interface makes the GPU ensemble refuse the network.
/// </summary>
internal interface IDeviceOp
{
    /// <summary>The forward pass of all members over <paramref name="examples"/> examples.</summary>
    void Forward(DeviceNetwork net, int examples);

    /// <summary>The backward pass of all members (accumulating parameter gradients into
    /// <see cref="DeviceNetwork.GradientBatch"/>); skips the input gradient of the network input (register 0).</summary>
    void Backward(DeviceNetwork net, int examples);
}
