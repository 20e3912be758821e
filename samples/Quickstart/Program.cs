using NtkSharp;
using NtkSharp.Kernels;
using NtkSharp.Layers;

// A depth-3 ReLU MLP in the NTK parameterisation, as neural-tangents' stax would write it.
var network = Stax.Serial(Stax.Dense(512, wStd: 1.5, bStd: 0.05), Stax.Relu(), Stax.Dense(512, wStd: 1.5, bStd: 0.05), Stax.Relu(), Stax.Dense(1, wStd: 1.5));
Console.WriteLine($"Architecture: {network}");

var rng = new Random(0);
var x = new double[8, 16];
for (int i = 0; i < 8; i++)
    for (int j = 0; j < 16; j++)
        x[i, j] = rng.NextDouble() * 2 - 1;

var kernels = new KernelFunction(network).Compute(Tensor.From(x));
Console.WriteLine("NTK Gram matrix (first 4×4):");
for (int i = 0; i < 4; i++)
    Console.WriteLine(string.Join("  ", Enumerable.Range(0, 4).Select(j => kernels.Ntk![i, j].ToString("F6"))));
