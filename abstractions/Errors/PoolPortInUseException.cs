namespace Xoscar.Orleans;

/// <summary>A pool could not start because its port is taken by another process or pool (Xoscar raises <c>OSError</c>).</summary>
[GenerateSerializer, Alias("xoscar.PoolPortInUseException")]
public sealed class PoolPortInUseException : XoscarException
{
    /// <summary>Creates the error for <paramref name="port"/> on <paramref name="host"/>.</summary>
    public PoolPortInUseException(string host, int port, Exception? innerException = null)
        : base($"Cannot start an actor pool on {host}:{port}: port {port} is already in use.", innerException) => Port = port;

    /// <summary>The port that is in use.</summary>
    [Id(0)] public int Port { get; private set; }
}
