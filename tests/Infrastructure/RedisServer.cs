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

    private RedisServer(Process process, int port)
    {
        _process = process;
        ConnectionString = $"127.0.0.1:{port}";
    }

    /// <summary>Where the server listens, as a StackExchange.Redis connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>The server program, or null where it is not installed.</summary>
    public static string? Program { get; } = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    /// <summary>Why tests that need Redis cannot run here, or null when they can.</summary>
    public static string? Missing => Program is null ? "redis-server is not installed (.ci/run installs Debian's redis-server; or apt-get install redis-server)." : null;

    /// <summary>Starts a server and returns once it accepts connections.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var port = PoolEndpoints.FreePort(IPAddress.Loopback);
        var start = new ProcessStartInfo(Program ?? throw new InvalidOperationException(Missing))
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();   // keep its pipe drained
                return new RedisServer(process, port);
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
