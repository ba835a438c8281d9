using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// A GPU-bound actor pool inside the current process: an <see cref="EmbeddedActorPool"/>-style silo on loopback
/// with <see cref="XoscarGpuSiloBuilderExtensions.AddXoscarGpu"/>. Several can join one cluster (one per device).
/// </summary>
/// <example>
/// <code>
/// await using var pool = await EmbeddedGpuPool.StartAsync(gpu: o => o.Device = "cpu");
/// var worker = await pool.Context.CreateActorAsync&lt;Worker, IWorker&gt;(uid: "w");
/// </code>
/// </example>
public sealed class EmbeddedGpuPool : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedGpuPool(IHost host, string address)
    {
        _host = host;
        Address = address;
    }

    /// <summary>The pool's address, <c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>The façade, with this pool as its default address.</summary>
    public IActorContext Context => Services.GetRequiredService<IActorContext>();

    /// <summary>The pool's accelerator (the one its actors receive).</summary>
    public GpuAccelerator Gpu => Services.GetRequiredService<GpuAccelerator>();

    /// <summary>GPU placement over the pools of this pool's cluster.</summary>
    public GpuPlacement Placement => new(Services.GetRequiredService<IGrainFactory>());

    /// <summary>The pool's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a GPU pool and returns once it accepts actors.</summary>
    /// <param name="pool">Address, cluster and logging, as for <see cref="EmbeddedActorPool"/>; the address must be an IP endpoint.</param>
    /// <param name="gpu">The device to bind (<see cref="GpuPoolOptions.Device"/>).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="GpuDeviceNotFoundException">The device does not exist.</exception>
    public static async Task<EmbeddedGpuPool> StartAsync(EmbeddedPoolOptions? pool = null, Action<GpuPoolOptions>? gpu = null, CancellationToken cancellationToken = default)
    {
        pool ??= new EmbeddedPoolOptions();
        var endpoint = IPEndPoint.Parse(pool.Address);
        var siloPort = endpoint.Port == 0 ? UnusedPort(endpoint.Address) : endpoint.Port;
        var gatewayPort = pool.GatewayPort == 0 ? UnusedPort(endpoint.Address) : pool.GatewayPort;
        var primary = pool.JoinAddress is null ? null : IPEndPoint.Parse(pool.JoinAddress);
        var host = new HostBuilder()
            .ConfigureLogging(logging => logging
                .AddSimpleConsole(c => c.SingleLine = true)
                .SetMinimumLevel(pool.LogLevel)
                .AddFilter("Orleans.Runtime", LogLevel.Error))
            .UseOrleans(silo => silo
                .UseLocalhostClustering(siloPort, gatewayPort, primary, serviceId: pool.ClusterId, clusterId: pool.ClusterId)
                .Configure<EndpointOptions>(e => e.AdvertisedIPAddress = endpoint.Address)
                .AddXoscar(pool.Configure)
                .AddXoscarGpu(gpu))
            .Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new EmbeddedGpuPool(host, new IPEndPoint(endpoint.Address, siloPort).ToString());
    }

    /// <summary>Stops the pool; its actors go with it, then its accelerator is released.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static int UnusedPort(IPAddress address)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
