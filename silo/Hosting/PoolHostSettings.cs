using System.Net;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Silo;

/// <summary>Everything needed to build one pool's silo host, however the pool is started (embedded, main pool, sub pool process).</summary>
/// <param name="Endpoint">The silo endpoint (the pool address); its port is not 0.</param>
/// <param name="GatewayPort">The port Orleans clients connect to; not 0.</param>
/// <param name="Primary">The endpoint of the pool whose cluster this one joins, or null to start a cluster.</param>
/// <param name="ClusterId">The cluster and service id.</param>
/// <param name="LogLevel">The lowest level logged to the console.</param>
/// <param name="Configure">Options of the Xoscar runtime.</param>
/// <param name="Identity">What the pool publishes as silo metadata, or null for none (a stand-alone embedded pool).</param>
/// <param name="ConfigureSilo">Further configuration of the silo, after <c>AddXoscar</c> (e.g. making it a GPU pool).</param>
/// <param name="ActorAssemblies">Assemblies whose grain classes and serializers Orleans must know besides those it finds itself.</param>
internal sealed record PoolHostSettings(
    IPEndPoint Endpoint,
    int GatewayPort,
    IPEndPoint? Primary,
    string ClusterId,
    LogLevel LogLevel,
    Action<XoscarOptions>? Configure = null,
    PoolIdentity? Identity = null,
    IReadOnlyList<Assembly>? ActorAssemblies = null,
    Action<ISiloBuilder>? ConfigureSilo = null)
{
    /// <summary>Awaited as the pool's silo starts, just before it joins the cluster (<see cref="JoinCue"/>); null: join at once.</summary>
    public Func<CancellationToken, Task>? BeforeJoin { get; init; }

    /// <summary>
    /// Whether <see cref="BeforeJoin"/> is awaited earlier, before the silo listens on its ports: a standby that will take
    /// over the address of a sub pool still running.
    /// </summary>
    public bool Standby { get; init; }

    /// <summary>Where the cluster's membership table lives: the main pool (joined at <see cref="Primary"/>), or a store such as Redis.</summary>
    public PoolMembership Membership { get; init; } = PoolMembership.MainPool;

    /// <summary>TLS on every connection of the pool, or null for plain TCP.</summary>
    public PoolTls? Tls { get; init; }

    /// <summary>The cluster's secret, proven on every connection of the pool.</summary>
    public required string Secret { get; init; }

    /// <summary>The connection file written for the pool, which it deletes when it stops; null: none.</summary>
    public PoolConnectionFile.Owned? ConnectionFile { get; init; }

    /// <summary>Further configuration of the pool's host beside its silo (e.g. web endpoints), last before it is built.</summary>
    public Action<IHostBuilder>? ConfigureHost { get; init; }

    /// <summary>Whether Orleans' own activity propagation is on (<c>AddActivityPropagation</c>).</summary>
    public bool OrleansActivities { get; init; }

    /// <summary>The sockets claimed for <see cref="Endpoint"/> and <see cref="GatewayPort"/>, which the silo serves; null: claimed as the pool starts.</summary>
    public PoolPorts? Ports { get; init; }
}
