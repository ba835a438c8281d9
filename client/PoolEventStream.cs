using Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// Where Orleans code finds the pool events: the memory stream provider <see cref="ProviderName"/>, hosted by the main
/// pool (its sub pools and clients have the provider too, and pull nothing), and the stream <see cref="Id"/>.
/// </summary>
/// <example>
/// <code>
/// var stream = clusterClient.GetStreamProvider(PoolEventStream.ProviderName).GetStream&lt;PoolEvent&gt;(PoolEventStream.Id);
/// await stream.SubscribeAsync((e, _) => { Console.WriteLine(e); return Task.CompletedTask; });
/// </code>
/// </example>
public static class PoolEventStream
{
    /// <summary>The stream provider's name.</summary>
    public const string ProviderName = "xoscar";

    /// <summary>The stream's namespace.</summary>
    public const string Namespace = "xoscar.events";

    /// <summary>The stream's key.</summary>
    public const string Key = "pools";

    /// <summary>The stream of every pool event of the cluster.</summary>
    public static StreamId Id { get; } = StreamId.Create(Namespace, Key);
}
