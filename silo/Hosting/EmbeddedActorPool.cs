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
    private readonly PoolPorts _ports;

    private EmbeddedActorPool(IHost host, PoolPorts ports, string address, int gatewayPort)
    {
        _host = host;
        _ports = ports;
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
    /// <exception cref="PoolPortInUseException">The pool's port or gateway port (or its dashboard's) is held by another process or pool; nothing was started.
    /// Of pools started at once on one port, exactly one starts.</exception>
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

        var ports = PoolPorts.Claim(endpoint, options.GatewayPort);
        return StartAsync(new PoolHostSettings(ports.Silo, ports.GatewayPort, primary, options.ClusterId, options.LogLevel, options.Configure, ConfigureSilo: options.ConfigureSilo)
        {
            ConfigureHost = options.ConfigureHost,
            Membership = options.Membership,
            Tls = options.Tls,
            Ports = ports,
        }, cancellationToken);
    }

    /// <summary>Starts the pool described by <paramref name="settings"/> (its ports already chosen) and returns once it accepts actors.</summary>
    /// <exception cref="PoolPortInUseException">A port of the settings, not claimed yet, is in use.</exception>
    internal static async Task<EmbeddedActorPool> StartAsync(PoolHostSettings settings, CancellationToken cancellationToken)
    {
        var ports = settings.Ports ?? PoolPorts.Claim(settings.Endpoint, settings.GatewayPort);
        IHost? host = null;
        try
        {
            host = PoolHostBuilder.Build(settings with { Ports = ports });
            await host.StartAsync(cancellationToken);
        }
        catch (Exception error)
        {
            host?.Dispose();
            ports.Dispose();
            if (settings.Membership.Explain(error, settings.Endpoint.ToString()) is { } explained) throw explained;
            throw;
        }

        return new EmbeddedActorPool(host, ports, settings.Endpoint.ToString(), settings.GatewayPort);
    }

    /// <summary>Stops the pool gracefully; its actors go with it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _ports.Dispose();
    }
}
