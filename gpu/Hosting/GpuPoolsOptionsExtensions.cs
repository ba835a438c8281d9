using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Gpu;

/// <summary>Sub pools bound one each to a GPU, as Xoscar binds a pool per card.</summary>
public static class GpuPoolsOptionsExtensions
{
    /// <summary>
    /// Adds one GPU sub pool per device to <paramref name="options"/>: <c>"all"</c> for every CUDA device found (or
    /// ILGPU's CPU accelerator where there is none), or the devices named (<c>"0"</c>, <c>"cuda:1"</c>, <c>"cpu"</c>).
    /// Existing sub pools stay plain; labels, envs, ports and cores of the new pools are left empty.
    /// </summary>
    /// <exception cref="GpuDeviceNotFoundException">A named device was not found; the message lists the devices that were.</exception>
    public static ActorPoolOptions UseGpuPools(this ActorPoolOptions options, params string[] devices)
    {
        ArgumentNullException.ThrowIfNull(options);
        var found = GpuDevices.Discover();
        var specs = devices is [] or ["all"]
            ? (found.Any(d => d.Kind == GpuDeviceKind.Cuda) ? found.Where(d => d.Kind == GpuDeviceKind.Cuda) : found.Take(1)).Select(d => d.Spec).ToList()
            : devices.Select(d => GpuDevices.Select(found, d).Spec).ToList();
        var plain = options.SubPools;
        options.SubPools += specs.Count;
        options.Gpus = [.. options.Gpus ?? Enumerable.Repeat<string?>(null, plain), .. specs];
        if (options.Labels is { } labels) options.Labels = [.. labels, .. specs.Select(_ => (string?)null)];
        if (options.Envs is { } envs) options.Envs = [.. envs, .. specs.Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>())];
        if (options.Ports is { } ports) options.Ports = [.. ports, .. specs.Select(_ => 0)];
        if (options.Cores is { } cores) options.Cores = [.. cores, .. specs.Select(_ => (int?)null)];
        return options;
    }
}
