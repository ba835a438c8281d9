using System.Diagnostics;
using System.Net;
using Xoscar.Orleans.Silo;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// A pool whose start failed leaves nothing running in its process: a service that retries a start keeps its CPU.
/// Runs alone, since it reads the process's CPU time.
/// </summary>
[Collection(Name)]
public sealed class FailedStartTests
{
    public const string Name = "failed start (alone)";

    [Fact]
    public async Task A_pool_whose_start_failed_midway_leaves_no_thread_running_in_the_process()
    {
        var closedPort = PoolEndpoints.FreePort(IPAddress.Loopback);
        await Assert.ThrowsAsync<MembershipUnavailableException>(() => EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions
        {
            ClusterId = "failed-start-test", Membership = PoolMembership.Redis($"127.0.0.1:{closedPort}"), Secret = ClusterSecret.Generate(),
        }));

        // Orleans' grain directory, left running by a failed start, spun on the membership stream the disposal ended: a core.
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(2));
        process.Refresh();
        var used = process.TotalProcessorTime - before;

        Assert.True(used < TimeSpan.FromSeconds(1), $"The process used {used.TotalSeconds:F1} s of CPU in the 2 s after the failed start.");
    }
}

[CollectionDefinition(FailedStartTests.Name, DisableParallelization = true)]
public sealed class FailedStartCollection;
