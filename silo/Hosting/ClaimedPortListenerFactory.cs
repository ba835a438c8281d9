using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Networking.Shared;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// The listeners of a pool's silo and gateway: Orleans' own socket listener, serving the socket the pool claimed
/// before it started (<see cref="PoolPorts"/>) instead of one Orleans binds itself with <c>SO_REUSEPORT</c>, which lets a
/// second silo listen on the same port. An endpoint the pool did not claim is claimed here, as exclusively.
/// </summary>
/// <remarks>
/// Orleans keeps its socket listener internal; it is built here through accessors of its constructor and socket field
/// (Orleans 10.4), so that connections are served exactly as Orleans serves them.
/// </remarks>
internal sealed class ClaimedPortListenerFactory(PoolPorts ports, IServiceProvider services) : IConnectionListenerFactory
{
    private const string Listener = "Orleans.Networking.Shared.SocketConnectionListener, Orleans.Core";
    private const string Trace = "Orleans.Networking.Shared.SocketsTrace, Orleans.Core";
    private const string TraceContract = "Orleans.Networking.Shared.ISocketsTrace, Orleans.Core";
    private const string Schedulers = "Orleans.Networking.Shared.SocketSchedulers, Orleans.Core";

    /// <summary>Makes every Orleans connection listener of <paramref name="silo"/> (silo and gateway) serve the sockets of <paramref name="ports"/>.</summary>
    public static void Use(ISiloBuilder silo, PoolPorts ports)
    {
        var services = silo.Services;
        for (var i = 0; i < services.Count; i++)
        {
            // Orleans registers one keyed factory per listener, under keys of its own: each keeps its key.
            if (services[i] is { IsKeyedService: true } keyed && keyed.ServiceType == typeof(IConnectionListenerFactory))
            {
                services[i] = ServiceDescriptor.KeyedSingleton<IConnectionListenerFactory>(
                    keyed.ServiceKey, (provider, _) => new ClaimedPortListenerFactory(ports, provider));
            }
        }
    }

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = ports.Release(endpoint) ?? PortClaim.Take((IPEndPoint)endpoint, "an actor pool's listener").Release();
        try
        {
            var listener = NewListener(
                endpoint,
                services.GetRequiredService<IOptions<SocketConnectionOptions>>().Value,
                NewTrace(services.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Sockets")),
                services.GetRequiredService(Type.GetType(Schedulers, throwOnError: true)!));
            ListenSocket(listener) = socket;
            SetEndPoint(listener, socket.LocalEndPoint!);
            return ValueTask.FromResult((IConnectionListener)listener);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    [return: UnsafeAccessorType(Listener)]
    private static extern object NewListener(
        EndPoint endpoint, SocketConnectionOptions options, [UnsafeAccessorType(TraceContract)] object trace, [UnsafeAccessorType(Schedulers)] object schedulers);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    [return: UnsafeAccessorType(Trace)]
    private static extern object NewTrace(ILogger logger);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_listenSocket")]
    private static extern ref Socket? ListenSocket([UnsafeAccessorType(Listener)] object listener);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_EndPoint")]
    private static extern void SetEndPoint([UnsafeAccessorType(Listener)] object listener, EndPoint endpoint);
}
