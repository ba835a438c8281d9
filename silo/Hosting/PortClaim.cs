using System.Net;
using System.Net.Sockets;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// A port claimed for a listener before it starts: a socket bound to it exclusively and listening, so that the claim
/// itself is the test of whether the port is free — no check that a second pool could pass too before either binds.
/// The listener then takes the socket over (<see cref="Release"/>); until then the port is held, and connections
/// wait in its backlog.
/// </summary>
/// <remarks>
/// Orleans' own listeners set <c>ReuseAddress</c>, which .NET maps on Linux to <c>SO_REUSEPORT</c> as well: two silos
/// on one port both listen and share its connections. A claimed socket sets only <c>SO_REUSEADDR</c> (a port in
/// <c>TIME_WAIT</c> can be bound again, a listening one cannot), or exclusive use on Windows, so it holds the port
/// against any other socket, those with <c>SO_REUSEPORT</c> included.
/// </remarks>
internal sealed class PortClaim : IDisposable
{
    private const int Backlog = 512;   // Orleans' own

    private Socket? _socket;

    private PortClaim(IPEndPoint asked, Socket socket)
    {
        Asked = asked;
        _socket = socket;
        Endpoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The endpoint asked for (port 0: any free port).</summary>
    public IPEndPoint Asked { get; }

    /// <summary>The endpoint claimed, with the port chosen for a port of 0.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Claims <paramref name="endpoint"/> (port 0: a free port) for <paramref name="listener"/>.</summary>
    /// <param name="endpoint">The address and port.</param>
    /// <param name="listener">What will listen there, for the error: "actor pool", "gateway", "dashboard".</param>
    /// <exception cref="PoolPortInUseException">Another socket holds the port.</exception>
    public static PortClaim Take(IPEndPoint endpoint, string listener)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            LingerState = new LingerOption(true, 0),
            NoDelay = true,
        };
        try
        {
            if (OperatingSystem.IsWindows()) socket.ExclusiveAddressUse = true;
            else socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            if (endpoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(endpoint);
            socket.Listen(Backlog);
            return new PortClaim(endpoint, socket);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new PoolPortInUseException(endpoint.Address.ToString(), endpoint.Port, listener, error);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Hands the socket to the listener that serves the port; from then on the listener closes it.</summary>
    /// <exception cref="InvalidOperationException">It was handed over already, or the claim was let go.</exception>
    public Socket Release() => Interlocked.Exchange(ref _socket, null)
        ?? throw new InvalidOperationException($"The claim on {Endpoint} was handed over or let go already.");

    /// <summary>Lets the port go, unless a listener took it over.</summary>
    public void Dispose() => Interlocked.Exchange(ref _socket, null)?.Dispose();

    // SOL_SOCKET and SO_REUSEADDR: Linux's values, and the BSDs' (macOS).
    private static int SolSocket => OperatingSystem.IsLinux() ? 1 : 0xffff;

    private static int SoReuseAddr => OperatingSystem.IsLinux() ? 2 : 4;
}
