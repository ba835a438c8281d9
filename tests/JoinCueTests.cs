using System.Diagnostics;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// <c>xoscar-pool --join-on-cue</c>: a sub pool gets ready, then joins its cluster only when its main pool says so
/// (the main pool lets its sub pools join one at a time).
/// </summary>
public sealed class JoinCueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Process StartSubPool(EmbeddedActorPool main, string clusterId) => PoolHostLauncher.Start(
        "--join", main.Address, "--kind", "Sub", "--index", "1", "--cluster-id", clusterId, "--join-on-cue", "--parent-pid", Environment.ProcessId.ToString(),
        "--secret-file", main.ConnectionFile!);

    [Fact]
    public async Task Sub_pool_started_with_join_on_cue_joins_the_cluster_once_cued()
    {
        await using var main = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "cue-join-test" });
        using var subPool = StartSubPool(main, "cue-join-test");
        try
        {
            await subPool.StandardInput.WriteLineAsync(PoolHostProtocol.JoinCue);
            await subPool.StandardInput.FlushAsync();
            var (address, _) = await PoolHostLauncher.ReadUntilReadyAsync(subPool).WaitAsync(Patience);

            Assert.NotNull(address);
            Assert.Contains(address, (await main.Context.GetPoolConfigAsync()).Select(p => p.Address));
        }
        finally
        {
            ProcessCleanup.KillIfRunning([subPool.Id]);
        }
    }

    [Fact]
    public async Task Sub_pool_waiting_for_its_cue_exits_with_code_233_when_its_input_closes()
    {
        await using var main = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "cue-close-test" });
        using var subPool = StartSubPool(main, "cue-close-test");
        try
        {
            subPool.StandardInput.Close();
            await subPool.WaitForExitAsync().WaitAsync(Patience);

            Assert.Equal(PoolHostProtocol.ParentDiedExitCode, subPool.ExitCode);
            Assert.Single(await main.Context.GetPoolConfigAsync());
        }
        finally
        {
            ProcessCleanup.KillIfRunning([subPool.Id]);
        }
    }

    [Fact]
    public async Task Join_on_cue_without_a_cluster_to_join_is_refused()
    {
        using var bad = PoolHostLauncher.Start("--join-on-cue");
        await bad.StandardOutput.ReadToEndAsync();
        await bad.WaitForExitAsync().WaitAsync(Patience);

        Assert.NotEqual(0, bad.ExitCode);
    }
}
