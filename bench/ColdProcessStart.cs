using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// One pool process started cold, the honest comparison for <c>pool_start</c>: seconds from spawning
/// <c>xoscar-pool</c> (a main pool alone) until it prints that it is ready, beside a plain Orleans silo process (this
/// program with <see cref="PlainSiloSwitch"/>: one silo, development clustering, nothing of Xoscar started) until it
/// prints the same. Both pay the runtime's start and the JIT; neither is warm from an earlier start.
/// </summary>
public sealed class ColdProcessStart(BenchSettings settings)
{
    /// <summary>The command-line switch that makes this program the plain silo process.</summary>
    public const string PlainSiloSwitch = "--plain-silo-child";

    private const string ReadyLine = "ready";

    public async IAsyncEnumerable<BenchRow?> RunAsync()
    {
        if (!settings.Includes("pool_process_start")) yield break;
        var poolHost = Path.Combine(AppContext.BaseDirectory, "xoscar-pool.dll");
        var self = typeof(ColdProcessStart).Assembly.Location;
        var pools = new List<double>();
        var plain = new List<double>();
        for (var i = 0; i < Math.Max(3, settings.Rounds / 2); i++)
        {
            pools.Add(await TimeToReadyAsync([poolHost, "--cluster-id", "cold-start"], "xoscar-pool ready"));
            plain.Add(await TimeToReadyAsync([self, PlainSiloSwitch], ReadyLine));
        }

        yield return new BenchRow("pool_process_start", "s", Median(pools), Median(plain));
    }

    /// <summary>The plain silo: starts, prints <c>ready</c>, and stops on SIGTERM.</summary>
    public static async Task<int> RunPlainSiloAsync()
    {
        var host = new HostBuilder()
            .UseOrleans(silo => silo.UseLocalhostClustering(PoolEndpoints.FreePort(IPAddress.Loopback), PoolEndpoints.FreePort(IPAddress.Loopback), null, "plain-silo", "plain-silo"))
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        Console.Out.WriteLine(ReadyLine);
        Console.Out.Flush();
        await host.WaitForShutdownAsync();
        return 0;
    }

    private static async Task<double> TimeToReadyAsync(string[] arguments, string ready)
    {
        var clock = Stopwatch.StartNew();
        using var child = Process.Start(new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        try
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith(ready, StringComparison.Ordinal)) return clock.Elapsed.TotalSeconds;
            }

            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} ended (exit code {child.ExitCode}) before printing '{ready}'.");
        }
        finally
        {
            // Stopped as a pool is (SIGTERM), so that it removes its connection file.
            _ = kill(child.Id, SigTerm);
            if (!child.WaitForExit(10_000)) child.Kill(entireProcessTree: true);
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
