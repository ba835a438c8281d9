using System.Globalization;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// How a pool's identity is written into Orleans silo metadata (<c>UseSiloMetadata</c>), which every silo of the
/// cluster caches for every other, and read back as a <see cref="PoolConfig"/>.
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

    /// <summary>The metadata the pool of this process publishes for <paramref name="identity"/>, with its clients' port.</summary>
    public static Dictionary<string, string> Describe(PoolIdentity identity, int gatewayPort)
    {
        var metadata = new Dictionary<string, string>
        {
            [IndexKey] = identity.Index.ToString(CultureInfo.InvariantCulture),
            [KindKey] = identity.Kind.ToString(),
            [ProcessIdKey] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            [GatewayPortKey] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            [MainKey] = identity.MainAddress,
        };
        if (identity.Label is not null) metadata[LabelKey] = identity.Label;
        if (identity.Core is { } core) metadata[CoreKey] = core.ToString(CultureInfo.InvariantCulture);
        if (identity.Device is { } device) metadata[DeviceKey] = device;
        foreach (var (name, value) in identity.Env) metadata[EnvPrefix + name] = value;
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
            int.Parse(index, CultureInfo.InvariantCulture),
            metadata.GetValueOrDefault(LabelKey),
            Enum.Parse<PoolKind>(metadata[KindKey]),
            int.Parse(metadata[ProcessIdKey], CultureInfo.InvariantCulture),
            env,
            int.Parse(metadata[GatewayPortKey], CultureInfo.InvariantCulture),
            metadata.TryGetValue(CoreKey, out var core) ? int.Parse(core, CultureInfo.InvariantCulture) : null,
            metadata.GetValueOrDefault(DeviceKey),
            metadata.GetValueOrDefault(MainKey));
    }
}
