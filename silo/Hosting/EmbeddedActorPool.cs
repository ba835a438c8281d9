using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

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
    /// <exception cref="ArgumentException">The address or join address is not <c>host:port</c>.</exception>
    public static async Task<EmbeddedActorPool> StartAsync(EmbeddedPoolOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedPoolOptions();
        var endpoint = ParseAddress(options.Address, nameof(options.Address));
        var port = endpoint.Port == 0 ? FreePort(endpoint.Address) : endpoint.Port;
        var gatewayPort = options.GatewayPort == 0 ? FreePort(endpoint.Address) : options.GatewayPort;
        var primary = options.JoinAddress is null ? null : ParseAddress(options.JoinAddress, nameof(options.JoinAddress));

        var host = new HostBuilder()
            .ConfigureLogging(logging => logging
                .AddSimpleConsole(c => c.SingleLine = true)
                .SetMinimumLevel(options.LogLevel)
                // Start-up notes about server GC and a slow first watchdog pass say nothing about the pool.
                .AddFilter("Orleans.Runtime.Silo", LogLevel.Error)
                .AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error))
            .UseOrleans(silo => silo
                .UseLocalhostClustering(port, gatewayPort, primary, serviceId: options.ClusterId, clusterId: options.ClusterId)
                .Configure<EndpointOptions>(e => e.AdvertisedIPAddress = endpoint.Address)
                .AddXoscar(options.Configure))
            .Build();
        await host.StartAsync(cancellationToken);
        return new EmbeddedActorPool(host, new IPEndPoint(endpoint.Address, port).ToString(), gatewayPort);
    }

    /// <summary>Stops the pool gracefully; its actors go with it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static IPEndPoint ParseAddress(string address, string argument) =>
        IPEndPoint.TryParse(address, out var endpoint) && address.Contains(':')
            ? endpoint
            : throw new ArgumentException($"Pool address '{address}' is not host:port with an IP host (e.g. 127.0.0.1:0).", argument);

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
