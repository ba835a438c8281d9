using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Silo;

/// <summary>How to start an <see cref="EmbeddedActorPool"/>.</summary>
public sealed class EmbeddedPoolOptions
{
    /// <summary>The pool address, <c>host:port</c>; port 0 takes a free port. Loopback by default.</summary>
    public string Address { get; set; } = "127.0.0.1:0";

    /// <summary>The port clients connect to; 0 takes a free port.</summary>
    public int GatewayPort { get; set; }

    /// <summary>
    /// The address of a running pool to join as one cluster (actors then call each other across the two);
    /// null starts a cluster of its own.
    /// </summary>
    public string? JoinAddress { get; set; }

    /// <summary>The cluster's id; pools that join each other must share it.</summary>
    public string ClusterId { get; set; } = "xoscar";

    /// <summary>
    /// Where the pools of the cluster find each other: in the first pool, which others join by <see cref="JoinAddress"/>
    /// (the default), or in a store such as <see cref="PoolMembership.Redis"/> (then <see cref="JoinAddress"/> stays null).
    /// </summary>
    public PoolMembership Membership { get; set; } = PoolMembership.MainPool;

    /// <summary>TLS with mutual authentication on every connection of the pool; null: plain TCP.</summary>
    public PoolTls? Tls { get; set; }

    /// <summary>
    /// The cluster's secret, which every connection proves before any message is accepted (at least 16 characters).
    /// Null: a new random one, kept in <see cref="ConnectionFile"/>. Required with <see cref="JoinAddress"/> or a
    /// membership store: the secret of the cluster joined (its <see cref="PoolConnectionFile.Secret"/>).
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Where the pool writes its connection file — cluster id, gateway, address and secret, readable by its owner
    /// alone — for clients; deleted when the pool stops. Null: <see cref="PoolConnectionFile.DefaultPath"/> of the
    /// gateway, in <see cref="PoolConnectionFile.DefaultFolder"/>.
    /// </summary>
    public string? ConnectionFile { get; set; }

    /// <summary>The lowest level the pool logs to the console.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Options of the Xoscar runtime in this pool.</summary>
    public Action<XoscarOptions>? Configure { get; set; }

    /// <summary>
    /// Whether Orleans' own activity propagation is on in this pool (<c>AddActivityPropagation</c>): traces then show
    /// Orleans' <c>Microsoft.Orleans.*</c> client and server spans of each call around Xoscar's spans. Off by default:
    /// it adds two call filters to every call, listened to or not. Xoscar's spans and their context need no option.
    /// </summary>
    public bool OrleansActivities { get; set; }

    /// <summary>Further configuration of the pool's silo, after <c>AddXoscar</c>: e.g. <c>s => s.AddXoscarGpu()</c> for a GPU pool.</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; set; }

    /// <summary>Further configuration of the pool's host beside its silo: e.g. web endpoints such as the dashboard.</summary>
    public Action<IHostBuilder>? ConfigureHost { get; set; }
}
