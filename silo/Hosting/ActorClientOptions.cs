namespace Xoscar.Orleans.Silo;

/// <summary>How an <see cref="ActorClient"/> connects to the pools of a cluster.</summary>
public sealed class ActorClientOptions
{
    /// <summary>
    /// The gateways (<c>host:port</c>) of pools to connect to — <see cref="ActorPool.GatewayPort"/>,
    /// <see cref="PoolConfig.GatewayPort"/> — needed with the main pool's membership; empty with a membership store,
    /// which knows them all.
    /// </summary>
    public IList<string> Gateways { get; } = new List<string>();

    /// <summary>Where the cluster's pools are found: the gateways given (the default), or a store such as <see cref="PoolMembership.Redis"/>.</summary>
    public PoolMembership Membership { get; set; } = PoolMembership.MainPool;

    /// <summary>The cluster's id, as its pools were started with; null: the connection file's, else <c>"xoscar"</c>.</summary>
    public string? ClusterId { get; set; }

    /// <summary>
    /// The cluster's secret, which the client proves on every connection. Null: the one in <see cref="ConnectionFile"/>,
    /// or else in the connection file a pool of <see cref="Gateways"/> wrote at its default path
    /// (<see cref="PoolConnectionFile.DefaultPath"/>), which a pool started by the same user on this machine has.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// A main pool's connection file (<see cref="ActorPool.ConnectionFile"/>, printed by <c>xoscar-pool</c> at start): it gives
    /// the secret unless <see cref="Secret"/> does, the gateway unless <see cref="Gateways"/> (or a membership store) does,
    /// and the cluster id unless <see cref="ClusterId"/> does.
    /// </summary>
    public string? ConnectionFile { get; set; }

    /// <summary>
    /// The pool used when a call names no address (creating actors, pool config); when null, the main pool of the
    /// <see cref="ConnectionFile"/> given (and no gateways), else none.
    /// </summary>
    public string? DefaultAddress { get; set; }

    /// <summary>TLS, as the pools use it (this client presents the certificate); null: plain TCP.</summary>
    public PoolTls? Tls { get; set; }

    /// <summary>
    /// How long connecting may take before it fails with <see cref="ServerClosedException"/>: Orleans' client retries a
    /// gateway it cannot reach for as long as it is let. A pool that refuses the client (its secret, its certificate)
    /// fails the connect at once instead.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Options of the Xoscar façade in this client.</summary>
    public Action<XoscarOptions>? Configure { get; set; }

    /// <summary>Further configuration of the Orleans client, last before it is built.</summary>
    public Action<IClientBuilder>? ConfigureClient { get; set; }
}
