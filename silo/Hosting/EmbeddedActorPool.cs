using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo.Runtime;

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
    private readonly PoolConnectionFile.Owned? _connectionFile;
    private readonly PoolPorts? _ports;

    private EmbeddedActorPool(IHost host, PoolPorts? ports, string address, int gatewayPort, PoolConnectionFile.Owned? connectionFile)
    {
        _host = host;
        _ports = ports;
        Address = address;
        GatewayPort = gatewayPort;
        _connectionFile = connectionFile;
    }

    /// <summary>The pool's address, <c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>The port Orleans clients connect to.</summary>
    public int GatewayPort { get; }

    /// <summary>The pool's connection file (with the cluster's secret, readable by its owner alone), or null where it writes none (a sub pool).</summary>
    public string? ConnectionFile => _connectionFile?.Path;

    /// <summary>The façade, with this pool as its default address.</summary>
    public IActorContext Context => Services.GetRequiredService<IActorContext>();

    /// <summary>The pool's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a pool and returns once it accepts actors.</summary>
    /// <exception cref="ArgumentException">The address or join address is not <c>host:port</c>, a join address is given with a membership store, a TLS file cannot be read,
    /// or the secret is too short, or missing with a join address or membership store.</exception>
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

        PoolSecrets.Check(options.Secret, options.Membership, nameof(options.Secret));
        if (primary is not null && options.Secret is null)
        {
            throw new ArgumentException(
                $"JoinAddress {options.JoinAddress} joins a cluster with a secret of its own: set Secret to it (PoolConnectionFile.Read(path).Secret of the pool joined).",
                nameof(options.Secret));
        }

        var ports = PoolPorts.Claim(endpoint, options.GatewayPort);
        var secret = options.Secret ?? ClusterSecret.Generate();
        PoolConnectionFile.Owned connectionFile;
        try
        {
            connectionFile = PoolSecrets.WriteConnectionFile(options.ConnectionFile, options.ClusterId, ports.Silo, ports.GatewayPort, secret);
        }
        catch
        {
            ports.Dispose();
            throw;
        }

        return StartAsync(new PoolHostSettings(ports.Silo, ports.GatewayPort, primary, options.ClusterId, options.LogLevel, options.Configure, ConfigureSilo: options.ConfigureSilo)
        {
            ConfigureHost = options.ConfigureHost,
            Membership = options.Membership,
            Tls = options.Tls,
            Secret = secret,
            ConnectionFile = connectionFile,
            Ports = ports,
            OrleansActivities = options.OrleansActivities,
        }, cancellationToken);
    }

    /// <summary>Starts the pool described by <paramref name="settings"/> (its ports already chosen) and returns once it accepts actors.</summary>
    /// <exception cref="PoolPortInUseException">A port of the settings, not claimed yet, is in use.</exception>
    internal static async Task<EmbeddedActorPool> StartAsync(PoolHostSettings settings, CancellationToken cancellationToken)
    {
        // A standby binds its ports as it takes over (the pool it stands by for holds them until then).
        var ports = settings.Standby ? null : settings.Ports ?? PoolPorts.Claim(settings.Endpoint, settings.GatewayPort);
        IHost? host = null;
        try
        {
            host = PoolHostBuilder.Build(settings with { Ports = ports });
            await host.StartAsync(cancellationToken);
        }
        catch (Exception error)
        {
            if (host is not null) await StopFailedAsync(host);
            ports?.Dispose();
            settings.ConnectionFile?.Dispose();
            if (settings.Membership.Explain(error, settings.Endpoint.ToString()) is { } explained) throw explained;
            throw;
        }

        var pool = new EmbeddedActorPool(host, ports, settings.Endpoint.ToString(), settings.GatewayPort, settings.ConnectionFile);
        var local = host.Services.GetRequiredService<PoolDirectory>().Local;
        host.Services.GetRequiredService<IPoolEventSink>().Publish(new PoolEvent(PoolEventKind.PoolStarted, DateTime.UtcNow, pool.Address,
            $"{local.Kind} pool {local.Index} started as process {Environment.ProcessId}", local.Index, Environment.ProcessId));
        return pool;
    }

    // A silo whose start failed midway must still be stopped: its services that did start keep running otherwise (Orleans'
    // grain directory then spins on a finished membership stream, a core for the life of the process). Neither step may
    // hang the caller: what does not end in time is left to end on its own.
    private static async Task StopFailedAsync(IHost host)
    {
        // Past a second its stages stop ungracefully (a membership store that refused the start would refuse the leave
        // too). Neither the host (whose hosted service failed to start) nor the silo (which stops only once running)
        // stops it: its lifecycle is stopped by hand, which stops each stage that started.
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            if (host.Services.GetService<ISiloLifecycleSubject>() is { } lifecycle) await lifecycle.OnStop(bounded.Token).WaitAsync(FailedStartStopTimeout);
            await ((IAsyncDisposable)host).DisposeAsync().AsTask().WaitAsync(FailedStartStopTimeout);
        }
        catch (Exception)
        {
            // It failed to start; how its stop goes adds nothing to that error.
        }
    }

    private static readonly TimeSpan FailedStartStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Stops the pool gracefully; its actors go with it, and its connection file is deleted.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        finally
        {
            _ports?.Dispose();
            _connectionFile?.Dispose();
        }
    }
}
