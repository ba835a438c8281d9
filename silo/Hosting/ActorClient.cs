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
    /// <exception cref="ArgumentException">A gateway or the default address is not a pool address (<c>host:port</c>), gateways are missing or not wanted, or a TLS file cannot be read.</exception>
    /// <exception cref="ServerClosedException">No pool accepted the connection within <see cref="ActorClientOptions.ConnectTimeout"/>.</exception>
    public static async Task<ActorClient> ConnectAsync(ActorClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Membership, nameof(options.Membership));
        var gateways = options.Gateways.Select(g => (EndPoint: PoolEndpoints.Parse(g, nameof(options.Gateways)), Address: g)).ToList();
        if (options.DefaultAddress is { } defaultAddress) PoolAddressFormat.Check(defaultAddress, nameof(options.DefaultAddress));
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                options.Membership.ApplyToClient(client, gateways.Select(g => g.EndPoint).ToList(), options.ClusterId);
                if (options.Tls is { } tls) client.UseXoscarTls(tls);
                client.AddXoscar(options.Configure, o => o.DefaultAddress = options.DefaultAddress);
                options.ConfigureClient?.Invoke(client);
            })
            .Build();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
            return new ActorClient(host);
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
                $"Cannot connect to cluster '{options.ClusterId}' through {through}: {why}. Check that a pool runs there with this cluster id, and that the client's TLS matches the pools' (a TLS pool refuses clients without a trusted certificate).",
                error is OperationCanceledException ? null : error);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

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
