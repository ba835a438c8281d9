using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// A process's connection to the pools of a cluster without a pool of its own (an Orleans client with the Xoscar
/// façade): by the gateways of some pools, or through the cluster's membership store, with TLS where the pools use it.
/// </summary>
/// <example>
/// <code>
/// await using var client = await ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { "127.0.0.1:30000" }, DefaultAddress = "127.0.0.1:11111" });
/// var counter = await client.Context.ActorRefAsync&lt;ICounter&gt;("127.0.0.1:11111", "counter");
/// </code>
/// </example>
public sealed class ActorClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ActorClient(IHost host) => _host = host;

    /// <summary>The façade, with <see cref="ActorClientOptions.DefaultAddress"/> as its default address.</summary>
    public IActorContext Context => Services.GetRequiredService<IActorContext>();

    /// <summary>The client's services (its <see cref="IClusterClient"/> among them).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Connects, and returns once a pool's gateway accepted the client.</summary>
    /// <exception cref="ArgumentException">A gateway or the default address is not a pool address (<c>host:port</c>), gateways are missing or not wanted, a TLS file or the connection file cannot be read, or the secret is too short.</exception>
    /// <exception cref="ClusterSecretRejectedException">The client has no secret for the cluster, or the pool refused the one it has (at once, not at the timeout).</exception>
    /// <exception cref="TlsHandshakeFailedException">The pool did not accept the client's certificate, or the client did not trust the pool's (at once).</exception>
    /// <exception cref="ServerClosedException">No pool accepted the connection within <see cref="ActorClientOptions.ConnectTimeout"/>.</exception>
    public static async Task<ActorClient> ConnectAsync(ActorClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Membership, nameof(options.Membership));
        // The file given, else (with neither a secret nor a file given) that of a pool of these gateways started by this user here.
        var file = options.ConnectionFile is { } path ? PoolConnectionFile.Read(path) : options.Secret is null ? DefaultFileOf(options.Gateways) : null;
        var given = options.Gateways.Count > 0 || file is null || options.Membership != PoolMembership.MainPool ? options.Gateways : [file.Gateway];
        var gateways = given.Select(g => (EndPoint: PoolEndpoints.Parse(g, nameof(options.Gateways)), Address: g)).ToList();
        var clusterId = options.ClusterId ?? file?.ClusterId ?? "xoscar";
        string? secret = null;   // found once the options are known to fit together (building checks them)
        if (options.DefaultAddress is { } defaultAddress) PoolAddressFormat.Check(defaultAddress, nameof(options.DefaultAddress));
        // A client of one main pool's connection file works with that pool unless told otherwise, as one inside it would.
        var defaultPool = options.DefaultAddress ?? (file is not null && options.Gateways.Count == 0 && options.Membership == PoolMembership.MainPool ? file.Address : null);
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                options.Membership.ApplyToClient(client, gateways.Select(g => g.EndPoint).ToList(), clusterId);
                if (options.Tls is { } tls) client.UseXoscarTls(tls);
                client.AddXoscar(
                    xoscar =>
                    {
                        options.Configure?.Invoke(xoscar);
                        xoscar.ClusterSecret = secret;
                    },
                    o => o.DefaultAddress = defaultPool);
                options.ConfigureClient?.Invoke(client);
            })
            .Build();
        try
        {
            secret = SecretOf(options, file, gateways.Select(g => g.Address).ToList());
        }
        catch
        {
            host.Dispose();
            throw;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
            return new ActorClient(host);
        }
        catch (Exception error) when (RefusalRetryFilter.Refusal(error) is { } refusal)
        {
            // Refused by the pool (its secret, its certificate): that says it all, and a retry would be refused too.
            host.Dispose();
            throw refusal;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var through = gateways.Count > 0 ? "gateway " + string.Join(", ", gateways.Select(g => g.Address)) : options.Membership.ToString();
            var why = error is OperationCanceledException
                ? $"no pool accepted it within {options.ConnectTimeout.TotalSeconds:0.#} s"
                : error.Message;
            throw new ServerClosedException(
                gateways.FirstOrDefault().Address ?? options.Membership.ToString(),
                $"Cannot connect to cluster '{clusterId}' through {through}: {why}. Check that a pool runs there with this cluster id.",
                error is OperationCanceledException ? null : error);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    // The secret given, else the connection file's.
    private static string SecretOf(ActorClientOptions options, PoolConnectionFile? file, IReadOnlyList<string> gateways)
    {
        if (options.Secret is { } secret)
        {
            ClusterSecret.Check(secret, nameof(options.Secret));
            return secret;
        }

        if (file is not null) return file.Secret;

        var where = gateways.Count > 0 ? "gateway " + string.Join(", ", gateways) : options.Membership.ToString();
        throw new ClusterSecretRejectedException(gateways.FirstOrDefault() ?? options.Membership.ToString(),
            $"Cluster '{options.ClusterId ?? "xoscar"}' at {where} requires its secret, and this client has none: no ActorClientOptions.Secret or ConnectionFile, " +
            $"and no connection file of these gateways in {PoolConnectionFile.DefaultFolder}. {PoolConnectionFile.WhereTheSecretIs}");
    }

    private static PoolConnectionFile? DefaultFileOf(IEnumerable<string> gateways) =>
        gateways.Select(PoolConnectionFile.DefaultPath).Where(File.Exists).Select(PoolConnectionFile.Read).FirstOrDefault();

    /// <summary>Disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }
}
