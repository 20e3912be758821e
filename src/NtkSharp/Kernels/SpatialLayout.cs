namespace NtkSharp.Kernels;

/// <summary>Which spatial covariances the engine tracks per pair of inputs (neural-tangents' <c>diagonal_spatial</c>).</summary>
internal enum SpatialLayout
{
    /// <summary>Only K(x, x′)(p, p) for every position p: O(P) per pair. Exact when every spatial signal ends in
    /// Flatten (convolutions, Dense and nonlinearities map diagonals to diagonals).</summary>
    Diagonal = 0,

    /// <summary>K(x, x′)(p, p′) for every pair of positions, stored [h][h′][w][w′]: O(P²) per pair. Needed by pooling.</summary>
    Full = 1,
}
