using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// An actor pool inside the current process, with no external service: an Orleans silo on loopback with
/// development clustering (Xoscar's in-process pool). The process that starts it uses <see cref="Context"/>
/// directly; other processes connect to <see cref="GatewayPort"/> with an Orleans client.
/// </summary>
/// <example>
/// <code>
/// await using var pool = await EmbeddedActorPool.StartAsync();
/// var counter = await pool.Context.CreateActorAsync&lt;Counter, ICounter&gt;([100], uid: "counter");
/// Console.WriteLine(await counter.Add(1));   // 101
/// </code>
/// </example>
public sealed class EmbeddedActorPool : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedActorPool(IHost host, string address, int gatewayPort)
    {
        _host = host;
        Address = address;
        GatewayPort = gatewayPort;
    }

    /// <summary>The pool's address, <c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>The port Orleans clients connect to.</summary>
    public int GatewayPort { get; }

    /// <summary>The façade, with this pool as its default address.</summary>
    public IActorContext Context => Services.GetRequiredService<IActorContext>();

    /// <summary>The pool's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a pool and returns once it accepts actors.</summary>
    /// <exception cref="ArgumentException">The address or join address is not <c>host:port</c>, a join address is given with a membership store, or a TLS file cannot be read.</exception>
    public static Task<EmbeddedActorPool> StartAsync(EmbeddedPoolOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedPoolOptions();
        var endpoint = PoolEndpoints.Parse(options.Address, nameof(options.Address), portZero: true);
        var primary = options.JoinAddress is null ? null : PoolEndpoints.Parse(options.JoinAddress, nameof(options.JoinAddress));
        ArgumentNullException.ThrowIfNull(options.Membership, nameof(options.Membership));
        if (primary is not null && options.Membership != PoolMembership.MainPool)
        {
            throw new ArgumentException(
                $"JoinAddress {options.JoinAddress} joins a pool that keeps the cluster's membership, but Membership is {options.Membership}: pools find each other there; leave JoinAddress null.",
                nameof(options.JoinAddress));
        }

        if (endpoint.Port == 0) endpoint.Port = PoolEndpoints.FreePort(endpoint.Address);
        var gatewayPort = options.GatewayPort == 0 ? PoolEndpoints.FreePort(endpoint.Address) : options.GatewayPort;
        return StartAsync(new PoolHostSettings(endpoint, gatewayPort, primary, options.ClusterId, options.LogLevel, options.Configure, ConfigureSilo: options.ConfigureSilo)
        {
            ConfigureHost = options.ConfigureHost,
            Membership = options.Membership,
            Tls = options.Tls,
        }, cancellationToken);
    }

    /// <summary>Starts the pool described by <paramref name="settings"/> (its ports already chosen) and returns once it accepts actors.</summary>
    internal static async Task<EmbeddedActorPool> StartAsync(PoolHostSettings settings, CancellationToken cancellationToken)
    {
        var host = PoolHostBuilder.Build(settings);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception error)
        {
            host.Dispose();
            if (settings.Membership.Explain(error, settings.Endpoint.ToString()) is { } explained) throw explained;
            throw;
        }

        return new EmbeddedActorPool(host, settings.Endpoint.ToString(), settings.GatewayPort);
    }

    /// <summary>Stops the pool gracefully; its actors go with it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
