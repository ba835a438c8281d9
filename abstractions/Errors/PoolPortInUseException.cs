namespace Xoscar.Orleans;

/// <summary>
/// A pool, its gateway or its dashboard could not start because its port is held by another process or pool (Xoscar
/// raises <c>OSError</c>). Nothing was started.
/// </summary>
[GenerateSerializer, Alias("xoscar.PoolPortInUseException")]
public sealed class PoolPortInUseException : XoscarException
{
    /// <summary>Creates the error for <paramref name="listener"/> (what was to listen: "the gateway of actor pool …") on <paramref name="port"/> of <paramref name="host"/>.</summary>
    public PoolPortInUseException(string host, int port, string listener, Exception? innerException = null)
        : base($"Cannot start {listener} on {Endpoint(host, port)}: port {port} is already in use by another process or pool.", innerException)
    {
        Host = host;
        Port = port;
    }

    /// <summary>The port that is in use.</summary>
    [Id(0)] public int Port { get; private set; }

    /// <summary>The address (IP or host name) the port was asked on.</summary>
    [Id(1)] public string Host { get; private set; }

    private static string Endpoint(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}
