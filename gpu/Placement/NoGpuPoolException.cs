namespace Xoscar.Orleans.Gpu;

/// <summary>No pool of the cluster satisfies a GPU placement; the message names every pool found and what it has.</summary>
[GenerateSerializer, Alias("xoscar.gpu.NoGpuPoolException")]
public sealed class NoGpuPoolException : XoscarException
{
    /// <summary>Creates the error: <paramref name="wanted"/> describes the placement, <paramref name="found"/> each pool (<c>address: what it has</c>).</summary>
    public NoGpuPoolException(string wanted, IReadOnlyList<string> found)
        : base($"No GPU pool {wanted}; pools found: {(found.Count == 0 ? "none" : string.Join("; ", found))}.")
        => Found = [.. found];

    /// <summary>Each pool of the cluster and what it has, e.g. <c>127.0.0.1:11111: no GPU</c>.</summary>
    [Id(0)] public string[] Found { get; private set; }
}
