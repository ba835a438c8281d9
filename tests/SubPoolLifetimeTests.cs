using System.Diagnostics;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class SubPoolLifetimeTests
{
    [Fact]
    public async Task Sub_pools_exit_within_two_seconds_when_the_main_pool_process_is_killed()
    {
        // The main pool runs in a child process (the pool host with --sub-pools) so that it can be SIGKILLed.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, PoolHostProtocol.FileName), "--sub-pools", "2", "--cluster-id", "fate-test" })
        {
            start.ArgumentList.Add(argument);
        }

        using var main = Process.Start(start)!;
        var subPools = new List<int>();
        try
        {
            string? address = null;
            while (address is null && await main.StandardOutput.ReadLineAsync() is { } line)
            {
                if (PoolHostProtocol.TryParseSubPool(line, out _, out var subPool)) subPools.Add(subPool);
                if (PoolHostProtocol.TryParseReady(line, out var ready, out _)) address = ready;
            }

            Assert.NotNull(address);
            Assert.Equal(2, subPools.Count);
            Assert.DoesNotContain(subPools, ProcessCleanup.HasEnded);

            main.Kill();   // SIGKILL: no chance to stop its sub pools
            var running = await ProcessCleanup.WaitForEndAsync(subPools, TimeSpan.FromSeconds(2));

            Assert.Empty(running);
        }
        finally
        {
            ProcessCleanup.KillIfRunning([main.Id, .. subPools]);
        }
    }
}
