using System.Diagnostics;
using System.Net;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// A private <c>redis-server</c> for the tests that need a membership store: started on a free loopback port without
/// persistence, stopped with the tests. <c>.ci/run</c> installs the server (Debian's redis-server) where it is missing.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private readonly int _port;

    private readonly string _password;

    private RedisServer(Process process, int port, string password)
    {
        _process = process;
        _port = port;
        _password = password;
        ConnectionString = ConnectionStringOn(IPAddress.Loopback);
    }

    /// <summary>Where the server listens on loopback, as a StackExchange.Redis connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>The connection string on another address the server was started on.</summary>
    public string ConnectionStringOn(IPAddress address) => $"{address}:{_port},password={_password}";

    /// <summary>The server program, or null where it is not installed.</summary>
    public static string? Program { get; } = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    /// <summary>Why tests that need Redis cannot run here, or null when they can.</summary>
    public static string? Missing => Program is null ? "redis-server is not installed (.ci/run installs Debian's redis-server; or apt-get install redis-server)." : null;

    /// <summary>
    /// Starts a server on loopback (and <paramref name="alsoOn"/>) and returns once it accepts connections. It takes a
    /// password, as a server reachable from other machines must (Redis refuses them otherwise).
    /// </summary>
    public static async Task<RedisServer> StartAsync(IPAddress? alsoOn = null)
    {
        var password = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var port = PoolEndpoints.FreePort(IPAddress.Loopback);
        var start = new ProcessStartInfo(Program ?? throw new InvalidOperationException(Missing))
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", port.ToString(), "--save", "", "--appendonly", "no", "--daemonize", "no", "--requirepass", password, "--bind", "127.0.0.1" })
        {
            start.ArgumentList.Add(argument);
        }

        if (alsoOn is not null) start.ArgumentList.Add(alsoOn.ToString());

        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();   // keep its pipe drained
                return new RedisServer(process, port, password);
            }
        }

        throw new InvalidOperationException($"redis-server ended before accepting connections on port {port} (exit code {process.ExitCode}).");
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
