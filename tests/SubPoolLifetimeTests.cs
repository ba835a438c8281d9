using System.Diagnostics;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class SubPoolLifetimeTests
{
    [Fact]
    public async Task Sub_pools_exit_within_two_seconds_when_the_main_pool_process_is_killed()
    {
        // The main pool runs in a child process (the pool host with --sub-pools) so that it can be SIGKILLed.
        using var main = PoolHostLauncher.Start("--sub-pools", "2", "--cluster-id", "fate-test");
        var subPools = new List<int>();
        try
        {
            var (address, announced) = await PoolHostLauncher.ReadUntilReadyAsync(main);
            subPools.AddRange(announced.Select(s => s.ProcessId));

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

    [Fact]
    public async Task Killed_sub_pool_is_removed_at_once_so_calls_to_its_actors_raise_server_closed()
    {
        var down = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, ClusterId = "sub-pool-down-test", OnSubPoolDown = a => down.TrySetResult(a) });
        var subPool = pool.Addresses[1];
        var probe = await pool.Context.CreateActorAsync<ProcessProbe, IProcessProbe>(address: subPool);
        var pending = probe.Wait(30_000);
        await probe.ProcessId();   // a stateless actor answers at once: the waiting call is in the pool by now

        using (var process = Process.GetProcessById(pool.SubPoolProcessIds[0])) process.Kill();

        Assert.Equal(subPool, await down.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        var inFlight = await Assert.ThrowsAsync<ServerClosedException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(subPool, inFlight.Address);
        Assert.Contains("SIGKILL", inFlight.Message);
        var closed = await Assert.ThrowsAsync<ServerClosedException>(() => probe.ProcessId());
        Assert.Equal(subPool, closed.Address);
        Assert.Equal([pool.Address], (await pool.Context.GetPoolConfigAsync()).Select(p => p.Address));
    }

    [Fact]
    public async Task Auto_recover_restarts_a_killed_sub_pool_at_its_address_and_recreates_its_live_actors_fresh()
    {
        var recovered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions
        {
            SubPools = 1, ClusterId = "auto-recover-test", AutoRecover = SubPoolRecovery.Actors, OnSubPoolRecovered = a => recovered.TrySetResult(a),
        });
        var subPool = pool.Addresses[1];
        var firstProcess = pool.SubPoolProcessIds[0];
        var counter = await pool.Context.CreateActorAsync<Counter, ICounter>([10], "survivor", subPool);
        await counter.Add(5);
        var destroyed = await pool.Context.CreateActorAsync<Counter, ICounter>([0], "destroyed", subPool);
        await pool.Context.DestroyActorAsync(destroyed);

        Kill(firstProcess);

        await pool.WaitPoolRecoveredAsync(subPool).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(recovered.Task.IsCompleted);   // the whole recovery ran before the wait ended
        Assert.Equal(subPool, await recovered.Task);
        Assert.Equal(subPool, pool.Addresses[1]);
        Assert.NotEqual(firstProcess, pool.SubPoolProcessIds[0]);
        Assert.Equal(11, await counter.Add(1));   // same uid and constructor arguments, fresh state
        Assert.False(await pool.Context.HasActorAsync(destroyed));
        var probe = await pool.Context.CreateActorAsync<ProcessProbe, IProcessProbe>(address: subPool);
        Assert.Equal(pool.SubPoolProcessIds[0], await probe.ProcessId());
    }

    [Fact]
    public async Task Process_recovery_restarts_a_killed_sub_pool_at_its_address_without_its_actors()
    {
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, ClusterId = "process-recover-test", AutoRecover = SubPoolRecovery.Process });
        var subPool = pool.Addresses[1];
        var firstProcess = pool.SubPoolProcessIds[0];
        var lost = await pool.Context.CreateActorAsync<Counter, ICounter>([10], "lost", subPool);

        await pool.Context.KillActorAsync(lost);   // Xoscar's kill_actor: the actor's whole sub pool process

        await pool.WaitPoolRecoveredAsync(subPool).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(firstProcess, pool.SubPoolProcessIds[0]);
        await Assert.ThrowsAsync<ActorNotExistException>(() => lost.Add(1));
        var again = await pool.Context.CreateActorAsync<Counter, ICounter>([20], "lost", subPool);
        Assert.Equal(21, await again.Add(1));
    }

    [Fact]
    public async Task Sub_pool_that_fails_to_start_fails_the_creation_quoting_it_and_leaves_no_pool_process()
    {
        const string cluster = "failing-start-test";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ActorPool.CreateAsync(new ActorPoolOptions
        {
            SubPools = 2, ClusterId = cluster, Gpus = [null, "cuda:7"],   // no machine here has an eighth CUDA device
        }));

        Assert.Contains("Sub pool 2", error.Message);
        Assert.True(error.Message.Contains("cuda:7"), error.Message);
        Assert.Empty(PoolProcessesOf(cluster));
    }

    // SIGKILL, and wait until the process is gone.
    private static void Kill(int processId)
    {
        using var process = Process.GetProcessById(processId);
        process.Kill();
        process.WaitForExit();
    }

    private static IEnumerable<string> PoolProcessesOf(string cluster) =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => Path.Combine(dir, "cmdline"))
            .Select(path => { try { return File.ReadAllText(path); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(line => line.Contains(PoolHostProtocol.FileName, StringComparison.Ordinal) && line.Contains(cluster, StringComparison.Ordinal));

    [Fact]
    public async Task Pool_exits_with_code_233_within_a_second_when_its_parent_pid_ends_even_if_not_its_parent()
    {
        // A watched process that is not the pool's parent: only the 100 ms poll can notice it end, not PR_SET_PDEATHSIG.
        using var watched = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        using var pool = PoolHostLauncher.Start("--parent-pid", watched.Id.ToString(), "--cluster-id", "parent-pid-test");
        try
        {
            var (address, _) = await PoolHostLauncher.ReadUntilReadyAsync(pool);
            Assert.NotNull(address);

            watched.Kill();
            await watched.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await pool.WaitForExitAsync(deadline.Token);

            Assert.Equal(PoolHostProtocol.ParentDiedExitCode, pool.ExitCode);
        }
        finally
        {
            ProcessCleanup.KillIfRunning([watched.Id, pool.Id]);
        }
    }

    [Fact]
    public async Task Pool_host_help_lists_its_options_and_a_bad_option_is_refused()
    {
        using var help = PoolHostLauncher.Start("--help");
        var text = await help.StandardOutput.ReadToEndAsync();
        await help.WaitForExitAsync();
        using var bad = PoolHostLauncher.Start("--kind", "Sub");
        await bad.StandardOutput.ReadToEndAsync();
        await bad.WaitForExitAsync();

        Assert.Equal(0, help.ExitCode);
        foreach (var option in new[] { "--address", "--gateway-port", "--join", "--label", "--index", "--kind", "--parent-pid", "--env", "--assembly", "--sub-pools", "--dashboard", "--redis", "--tls-certificate", "--tls-authority" })
        {
            Assert.Contains(option, text);
        }

        Assert.NotEqual(0, bad.ExitCode);
    }
}
