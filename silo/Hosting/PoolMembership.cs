using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Where the pools of a cluster find each other: Orleans' membership table. <see cref="MainPool"/> (the default) keeps
/// it in the first main pool, which is enough for one actor pool on one machine; <see cref="Redis"/> keeps it in a
/// Redis server, so that actor pools started on several hosts (each a main pool with its sub pools) form one cluster
/// and survive any one of them.
/// </summary>
public abstract record PoolMembership
{
    /// <summary>
    /// The environment variable <c>xoscar-pool --redis</c> reads the Redis connection string from when none is given: it
    /// may hold a password, which a command line shows to every user of the machine.
    /// </summary>
    internal const string RedisConnectionVariable = "XOSCAR_REDIS";

    private protected PoolMembership()
    {
    }

    /// <summary>The membership table lives in the main pool; sub pools (and pools given a join address) join it there.</summary>
    public static PoolMembership MainPool { get; } = new MainPoolMembership();

    /// <summary>The membership table lives in the Redis server at <paramref name="connectionString"/> (StackExchange.Redis syntax).</summary>
    /// <exception cref="ArgumentException">The connection string is empty or not valid.</exception>
    public static PoolMembership Redis(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) throw new ArgumentException("The Redis connection string is empty.", nameof(connectionString));
        try
        {
            StackExchange.Redis.ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException error)
        {
            // Not quoted: a connection string may hold a password.
            throw new ArgumentException($"The Redis connection string is not valid: {error.Message}", nameof(connectionString), error);
        }

        return new RedisMembership(connectionString);
    }

    /// <summary>Makes <paramref name="silo"/> use this membership, with the ports, cluster id and (main pool membership) main pool of <paramref name="settings"/>.</summary>
    internal abstract void Apply(ISiloBuilder silo, PoolHostSettings settings);

    /// <summary>Makes the Orleans client <paramref name="client"/> find the pools of cluster <paramref name="clusterId"/> through this membership.</summary>
    /// <param name="client">The client being built.</param>
    /// <param name="clusterId">The cluster (and service) id of the pools.</param>
    /// <param name="gateways">The gateways of pools to connect to: needed with the main pool's membership, refused with a store (it knows them).</param>
    /// <exception cref="ArgumentException">Gateways are missing, or given where the store knows them.</exception>
    internal abstract void ApplyToClient(IClientBuilder client, IReadOnlyList<IPEndPoint> gateways, string clusterId);

    /// <summary>The error to raise for <paramref name="error"/>, which failed the start of the pool at <paramref name="address"/>; null: raise it as it is.</summary>
    internal virtual Exception? Explain(Exception error, string address) => null;

    /// <summary>What a sub pool process needs to use the same membership: command-line arguments and environment variables (for secrets).</summary>
    internal abstract (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment) ForSubPool();

    private sealed record MainPoolMembership : PoolMembership
    {
        internal override void Apply(ISiloBuilder silo, PoolHostSettings settings) =>
            silo.UseLocalhostClustering(settings.Endpoint.Port, settings.GatewayPort, settings.Primary, serviceId: settings.ClusterId, clusterId: settings.ClusterId);

        internal override (IReadOnlyList<string>, IReadOnlyDictionary<string, string>) ForSubPool() => ([], new Dictionary<string, string>());

        internal override void ApplyToClient(IClientBuilder client, IReadOnlyList<IPEndPoint> gateways, string clusterId)
        {
            if (gateways.Count == 0)
            {
                throw new ArgumentException("Gateways is empty: name the gateway (host:port) of at least one pool; ActorPool.GatewayPort and PoolConfig.GatewayPort tell them.", "Gateways");
            }

            client.UseStaticClustering(gateways.ToArray()).Configure<ClusterOptions>(o => o.ClusterId = o.ServiceId = clusterId);
        }

        public override string ToString() => "main pool";
    }

    private sealed record RedisMembership(string ConnectionString) : PoolMembership
    {
        internal override void Apply(ISiloBuilder silo, PoolHostSettings settings)
        {
            silo.UseRedisClustering(ConnectionString)
                .Configure<ClusterOptions>(o => o.ClusterId = o.ServiceId = settings.ClusterId)
                .Configure<EndpointOptions>(o =>
                {
                    o.SiloPort = settings.Endpoint.Port;
                    o.GatewayPort = settings.GatewayPort;
                });
        }

        internal override (IReadOnlyList<string>, IReadOnlyDictionary<string, string>) ForSubPool() =>
            (["--redis"], new Dictionary<string, string> { [RedisConnectionVariable] = ConnectionString });

        internal override void ApplyToClient(IClientBuilder client, IReadOnlyList<IPEndPoint> gateways, string clusterId)
        {
            if (gateways.Count > 0)
            {
                throw new ArgumentException($"Gateways {string.Join(", ", gateways)} are given, but the membership is {this}, which knows every pool's gateway: leave Gateways empty.", "Gateways");
            }

            client.UseRedisClustering(ConnectionString).Configure<ClusterOptions>(o => o.ClusterId = o.ServiceId = clusterId);
        }

        internal override Exception? Explain(Exception error, string address) =>
            error is StackExchange.Redis.RedisConnectionException ? new MembershipUnavailableException(address, ToString(), error) : null;

        /// <summary>Redis and its endpoints; never the password a connection string may hold.</summary>
        public override string ToString() =>
            "Redis at " + string.Join(", ", StackExchange.Redis.ConfigurationOptions.Parse(ConnectionString).EndPoints.Select(e => e is System.Net.DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : e.ToString()));
    }
}
