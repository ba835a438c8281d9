namespace Xoscar.Orleans;

/// <summary>
/// A GPU placement (<see cref="GpuPool"/>, a <see cref="GpuGang"/>) that no GPU pool can hold, refused before anything
/// was created. The message names what was asked and what each GPU pool's device has free and reserved.
/// </summary>
[GenerateSerializer, Alias("xoscar.NoGpuCapacityException")]
public sealed class NoGpuCapacityException : XoscarException
{
    /// <summary>Creates the error for <paramref name="requested"/>, which <paramref name="gpuPools"/> could not hold for <paramref name="reason"/>.</summary>
    /// <param name="requested">What was asked, e.g. <c>GpuPool(8 GiB)</c>.</param>
    /// <param name="reason">Why no pool fits, e.g. <c>no device has 8 GiB available</c>.</param>
    /// <param name="gpuPools">Every GPU pool the placement considered, with its device's figures (<see cref="PoolConfig.Gpu"/>).</param>
    public NoGpuCapacityException(string requested, string reason, IReadOnlyList<PoolConfig> gpuPools)
        : base($"No GPU pool can hold {requested}: {reason}. GPU pools: {Describe(gpuPools)}.")
    {
        Requested = requested;
        GpuPools = [.. gpuPools];
    }

    /// <summary>What was asked.</summary>
    [Id(0)] public string Requested { get; private set; }

    /// <summary>The GPU pools considered, each with its device's free memory and reservations then.</summary>
    [Id(1)] public PoolConfig[] GpuPools { get; private set; }

    private static string Describe(IReadOnlyList<PoolConfig> pools) =>
        pools.Count == 0 ? "none" : string.Join("; ", pools.Select(p => $"{p.Address} (pool {p.Index}) on {p.Gpu}"));
}
