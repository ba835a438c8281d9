using Orleans.Metadata;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// Who made a call to a pool, as Orleans knows it (<see cref="IGrainCallContext.SourceId"/>, set by the runtime, not
/// by the caller), in words: an actor, a pool, a pool's own process outside its actors, or a client.
/// </summary>
internal sealed class PoolCallers(GrainClassMap grainClasses)
{
    /// <summary>The grain type of pools' own endpoints (<see cref="ActorPoolGrain"/>).</summary>
    public static readonly GrainType PoolGrainType = GrainType.Create("xoscar.pool");

    // Orleans' clients (ClientGrainId, internal): this grain type, keyed by a guid, or "hosted-<silo>" for a silo's own.
    private static readonly GrainType ClientGrainType = GrainType.Create("sys.client");
    private const string HostedClientPrefix = "hosted-";

    /// <summary>Whether <paramref name="source"/> is a pool's endpoint, which may pass on requests with their first caller.</summary>
    public static bool IsPool(GrainId? source) => source is { } id && id.Type.Equals(PoolGrainType);

    /// <summary>The caller <paramref name="source"/> in words, e.g. <c>actor 'killer' of pool 127.0.0.1:11112</c>.</summary>
    public string Describe(GrainId? source)
    {
        if (source is not { } id) return "an unknown caller";
        var key = id.Key.ToString();
        if (IsPool(id)) return $"pool {key}";
        if (id.Type.Equals(ClientGrainType))
        {
            return key.StartsWith(HostedClientPrefix, StringComparison.Ordinal) && TryParseSilo(key[HostedClientPrefix.Length..]) is { } silo
                ? $"the process of pool {PoolAddresses.Of(silo)} (not one of its actors)"
                : $"client {key}";
        }

        if (grainClasses.TryGetGrainClass(id.Type, out var actorClass) && typeof(ActorBase).IsAssignableFrom(actorClass))
        {
            var actor = ActorId.FromGrainKey(key);
            return $"actor {PrintableText.Quote(actor.Uid)} of pool {actor.Address}";
        }

        return $"grain {PrintableText.Quote(id.ToString())}";
    }

    private static SiloAddress? TryParseSilo(string text)
    {
        try
        {
            return SiloAddress.FromParsableString(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
