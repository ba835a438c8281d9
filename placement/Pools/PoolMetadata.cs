using System.Globalization;
using Xoscar.Orleans.Gpu;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// How a pool's identity is written into Orleans silo metadata (<c>UseSiloMetadata</c>), which every silo of the
/// cluster caches for every other, and read back as a <see cref="PoolConfig"/>. A GPU pool's device (index, name,
/// kind, architecture, memory) is part of it; what changes (free memory, reservations) is not.
/// </summary>
internal static class PoolMetadata
{
    private const string IndexKey = "xoscar.index";
    private const string LabelKey = "xoscar.label";
    private const string KindKey = "xoscar.kind";
    private const string ProcessIdKey = "xoscar.pid";
    private const string GatewayPortKey = "xoscar.gateway";
    private const string CoreKey = "xoscar.core";
    private const string DeviceKey = "xoscar.device";
    private const string MainKey = "xoscar.main";
    private const string EnvPrefix = "xoscar.env.";
    private const string GpuIndexKey = "xoscar.gpu.index";
    private const string GpuNameKey = "xoscar.gpu.name";
    private const string GpuKindKey = "xoscar.gpu.kind";
    private const string GpuArchitectureKey = "xoscar.gpu.architecture";
    private const string GpuMemoryKey = "xoscar.gpu.memory";
    private const string GpuLibraryKey = "xoscar.gpu.library";

    /// <summary>The metadata a pool publishes for <paramref name="pool"/> (its address is its silo's endpoint, not written).</summary>
    public static Dictionary<string, string> Describe(PoolConfig pool)
    {
        var metadata = new Dictionary<string, string>
        {
            [IndexKey] = Text(pool.Index),
            [KindKey] = pool.Kind.ToString(),
            [ProcessIdKey] = Text(pool.ProcessId),
            [GatewayPortKey] = Text(pool.GatewayPort),
        };
        if (pool.MainAddress is not null) metadata[MainKey] = pool.MainAddress;
        if (pool.Label is not null) metadata[LabelKey] = pool.Label;
        if (pool.Core is { } core) metadata[CoreKey] = Text(core);
        if (pool.Device is { } device) metadata[DeviceKey] = device;
        if (pool.Gpu?.Device is { } gpu)
        {
            metadata[GpuIndexKey] = Text(gpu.Index);
            metadata[GpuNameKey] = gpu.Name;
            metadata[GpuKindKey] = gpu.Kind.ToString();
            metadata[GpuArchitectureKey] = gpu.Architecture;
            metadata[GpuMemoryKey] = gpu.MemoryBytes.ToString(CultureInfo.InvariantCulture);
            metadata[GpuLibraryKey] = gpu.Library;
        }

        foreach (var (name, value) in pool.Env) metadata[EnvPrefix + name] = value;
        return metadata;
    }

    /// <summary>
    /// The config of the pool at <paramref name="address"/> from its metadata, or null when it published none
    /// (a plain <c>AddXoscar</c> silo, or one whose metadata has not reached this silo yet).
    /// </summary>
    public static PoolConfig? Read(string address, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(IndexKey, out var index)) return null;
        var env = metadata.Where(m => m.Key.StartsWith(EnvPrefix, StringComparison.Ordinal))
            .ToDictionary(m => m.Key[EnvPrefix.Length..], m => m.Value);
        return new PoolConfig(
            address,
            Number(index),
            metadata.GetValueOrDefault(LabelKey),
            Enum.Parse<PoolKind>(metadata[KindKey]),
            Number(metadata[ProcessIdKey]),
            env,
            Number(metadata[GatewayPortKey]),
            metadata.TryGetValue(CoreKey, out var core) ? Number(core) : null,
            metadata.GetValueOrDefault(DeviceKey),
            metadata.GetValueOrDefault(MainKey),
            ReadGpu(metadata));
    }

    private static PoolGpu? ReadGpu(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(GpuIndexKey, out var index)
            ? new PoolGpu(new GpuDeviceInfo(
                Number(index),
                metadata[GpuNameKey],
                long.Parse(metadata[GpuMemoryKey], CultureInfo.InvariantCulture),
                Enum.Parse<GpuDeviceKind>(metadata[GpuKindKey]),
                metadata[GpuArchitectureKey],
                metadata[GpuLibraryKey]))
            : null;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
