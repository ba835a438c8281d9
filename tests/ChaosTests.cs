using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Testing;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Pools die under load, hang, and are killed in the middle of creations, batches and streams: no call hangs, every
/// error is typed, and with recovery every actor comes back with its constructor arguments.
/// </summary>
public sealed class ChaosTests
{
    /// <summary>No call may take longer: past it, it counts as hung.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Kill_under_100_callers_fails_only_calls_in_flight_typed_and_brings_every_actor_back_with_its_arguments()
    {
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, ClusterId = "chaos-kill", AutoRecover = SubPoolRecovery.Actors });
        var actors = new List<ICasualty>();
        for (var i = 0; i < 20; i++) actors.Add(await pool.Context.CreateActorAsync<Casualty, ICasualty>([i], $"casualty-{i}", pool.Addresses[1]));
        var errors = new ConcurrentBag<Exception>();
        var hung = 0;
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 100).Select(c => Task.Run(async () =>
        {
            for (var i = c; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await actors[i % actors.Count].Start().WaitAsync(Bound);
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref hung);
                }
                catch (Exception error)
                {
                    errors.Add(error);
                }
            }
        })).ToList();
        await Task.Delay(300);

        Kill(pool.SubPoolProcessIds[0]);
        await WhenDeadAsync(pool, pool.SubPoolProcessIds[0]);
        await pool.WaitPoolRecoveredAsync(pool.Addresses[1]).WaitAsync(Bound);
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(callers).WaitAsync(Bound);

        Assert.Equal(0, hung);
        Assert.All(errors, error => Assert.IsType<ServerClosedException>(error));
        Assert.InRange(errors.Count, 1, 100);   // at most the calls in flight at the kill: the rest waited for the recovery
        for (var i = 0; i < actors.Count; i++) Assert.Equal(i, await actors[i].Start());
    }

    [Fact]
    public async Task A_call_that_cannot_wait_for_a_recovery_fails_as_recovering_naming_the_pool_and_the_actor_not_as_missing()
    {
        var down = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions
        {
            SubPools = 1, ClusterId = "chaos-recovering", AutoRecover = SubPoolRecovery.Actors, WarmSpares = false,
            Configure = o => o.RecoveryWait = TimeSpan.Zero, OnSubPoolDown = _ => down.TrySetResult(),
        });
        var actor = await pool.Context.CreateActorAsync<Casualty, ICasualty>([8], "coming-back", pool.Addresses[1]);

        Kill(pool.SubPoolProcessIds[0]);
        await down.Task.WaitAsync(Bound);
        var error = await Assert.ThrowsAsync<PoolRecoveringException>(() => actor.Start());

        Assert.Equal(pool.Addresses[1], error.Address);
        Assert.Equal("coming-back", error.Uid);
        await pool.WaitPoolRecoveredAsync(pool.Addresses[1]).WaitAsync(Bound);
        Assert.Equal(8, await actor.Start());
    }

    [Fact]
    public async Task Stopped_sub_pool_is_found_hung_killed_and_recovered_with_its_actors()
    {
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions
        {
            SubPools = 1, ClusterId = "chaos-stop", AutoRecover = SubPoolRecovery.Actors, HangTimeout = TimeSpan.FromSeconds(2),
            OnSubPoolRecovered = _ => recovered.TrySetResult(),
        });
        var actor = await pool.Context.CreateActorAsync<Casualty, ICasualty>([7], "stopped", pool.Addresses[1]);
        var stopped = pool.SubPoolProcessIds[0];

        var clock = Stopwatch.StartNew();
        Signal(stopped, "STOP");
        var inFlight = await Assert.ThrowsAsync<ServerClosedException>(() => actor.Step(0).WaitAsync(Bound));
        var detected = clock.Elapsed;
        await recovered.Task.WaitAsync(Bound);

        Assert.True(detected < TimeSpan.FromSeconds(2 + 1 + 3), $"found hung after {detected}");
        Assert.Contains("unanswered", inFlight.Message);
        Assert.NotEqual(stopped, pool.SubPoolProcessIds[0]);
        Assert.Equal(7, await actor.Start());
    }

    [Fact]
    public async Task Sub_pool_whose_stop_hangs_is_killed_after_the_stop_timeout()
    {
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions
        {
            SubPools = 1, ClusterId = "chaos-stop-hangs", StopTimeout = TimeSpan.FromSeconds(1), HangTimeout = null,
        });
        var stopped = pool.SubPoolProcessIds[0];
        Signal(stopped, "STOP");   // SIGTERM cannot be handled by a stopped process

        var clock = Stopwatch.StartNew();
        await pool.RemoveSubPoolAsync(pool.Addresses[1]).WaitAsync(Bound);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1 + 4), $"stopped after {clock.Elapsed}");
        Assert.True(ProcessCleanup.HasEnded(stopped));
    }

    [Fact]
    public async Task Kill_during_a_creation_a_batch_and_a_stream_fails_each_typed_and_leaves_no_half_created_actor()
    {
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, ClusterId = "chaos-in-flight", AutoRecover = SubPoolRecovery.Actors });
        var sub = pool.Addresses[1];
        var actor = await pool.Context.CreateActorAsync<Casualty, ICasualty>([3], "busy", sub);
        var creation = pool.Context.CreateActorAsync<SlowStarter, ICasualty>([4], "half-created", sub);
        var batch = actor.Batch(Enumerable.Repeat(10_000, 3).ToList(), (a, ms) => a.Step(ms));
        var stream = Task.Run(async () =>
        {
            await foreach (var _ in actor.Ticks(100, 500)) { }
        });
        await Task.Delay(1_000);   // all three are running in the sub pool

        Kill(pool.SubPoolProcessIds[0]);

        await Assert.ThrowsAsync<ServerClosedException>(() => creation.WaitAsync(Bound));
        await Assert.ThrowsAsync<ServerClosedException>(() => batch.WaitAsync(Bound));
        await Assert.ThrowsAsync<ServerClosedException>(() => stream.WaitAsync(Bound));
        await pool.WaitPoolRecoveredAsync(sub).WaitAsync(Bound);
        Assert.Equal(3, await actor.Start());
        Assert.Null(await Try(() => pool.Context.ActorRefAsync<ICasualty>(sub, "half-created")));
    }

    [Fact]
    public async Task Killed_main_pool_fails_an_outside_clients_calls_as_server_closed()
    {
        var gatewayPort = PoolEndpoints.FreePort(IPAddress.Loopback);
        using var host = PoolHostLauncher.Start("--sub-pools", "1", "--cluster-id", "chaos-main", "--gateway-port", gatewayPort.ToString(),
            "--assembly", typeof(Casualty).Assembly.Location);
        try
        {
            var (address, _) = await PoolHostLauncher.ReadUntilReadyAsync(host);
            Assert.NotNull(address);
            await using var client = await ActorClient.ConnectAsync(new ActorClientOptions
            {
                Gateways = { $"127.0.0.1:{gatewayPort}" },
                ConfigureClient = c => c.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = Bound * 2),
            });
            var actor = await client.Context.CreateActorAsync<Casualty, ICasualty>([5], "orphan", address);
            var inFlight = actor.Step(30_000);

            host.Kill();

            var error = await Assert.ThrowsAsync<ServerClosedException>(() => inFlight.WaitAsync(Bound));
            Assert.Equal(address, error.Address);
            await Assert.ThrowsAsync<ServerClosedException>(() => actor.Start().WaitAsync(Bound));
        }
        finally
        {
            ProcessCleanup.KillIfRunning([host.Id]);
        }
    }

    [Fact]
    public async Task An_outage_under_100_callers_logs_its_state_changes_and_counts_failed_calls_instead_of_a_line_each()
    {
        var logs = new PoolLogs { MinimumLevel = LogLevel.Information };
        var down = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions
        {
            SubPools = 1, ClusterId = "chaos-quiet-outage", OnSubPoolDown = _ => down.TrySetResult(),
            ConfigureMainPoolHost = host => host.ConfigureLogging(logging => logging.AddProvider(logs)),
        });
        var actors = new List<ICasualty>();
        for (var i = 0; i < 20; i++) actors.Add(await pool.Context.CreateActorAsync<Casualty, ICasualty>([i], address: pool.Addresses[1]));
        Kill(pool.SubPoolProcessIds[0]);
        await down.Task.WaitAsync(Bound);
        var before = logs.Lines.Count;
        var summary = logs.WaitForNewAsync(line => line.Contains("[4901]") && line.Contains(pool.Addresses[1]));

        var failed = 0;
        using var stop = new CancellationTokenSource(OutageLogPeriod + TimeSpan.FromSeconds(1));
        await Task.WhenAll(Enumerable.Range(0, 100).Select(c => Task.Run(async () =>
        {
            for (var i = c; !stop.IsCancellationRequested; i++)
            {
                await Assert.ThrowsAsync<ServerClosedException>(() => actors[i % actors.Count].Start());
                Interlocked.Increment(ref failed);
            }
        })));
        var counted = await summary.WaitAsync(Bound);

        var lines = logs.Lines.Skip(before).ToList();
        Assert.True(failed > 1_000, $"only {failed} calls failed: too few to show the log stays quiet");
        Assert.True(lines.Count < 20, $"{lines.Count} lines for {failed} failed calls:{Environment.NewLine}{string.Join(Environment.NewLine, lines.Take(20))}");
        Assert.Contains("ServerClosedException", counted);
    }

    [Fact]
    public async Task A_restarted_sub_pool_leaves_no_shared_memory_of_its_dead_process_mapped_in_the_main_pool()
    {
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, ClusterId = "chaos-mapped", AutoRecover = SubPoolRecovery.Actors });
        var echo = await pool.Context.CreateActorAsync<BlobEcho, IBlobEcho>(uid: "echo", address: pool.Addresses[1]);
        var blob = new Blob(new byte[2 << 20]);
        await echo.Reverse(blob);   // the reversed blob comes back through a segment of the sub pool's process
        var main = pool.Services.GetRequiredService<ActorReferences>().Pool(pool.Address);
        Assert.Equal(1, (await main.GetFootprint(collect: false)).MappedSegments);

        for (var restart = 0; restart < 3; restart++)
        {
            var dead = pool.SubPoolProcessIds[0];
            Kill(dead);
            await WhenDeadAsync(pool, dead);
            await pool.WaitPoolRecoveredAsync(pool.Addresses[1]).WaitAsync(Bound);
            await echo.Reverse(blob);
        }

        Assert.Equal(1, (await main.GetFootprint(collect: false)).MappedSegments);
    }

    private static readonly TimeSpan OutageLogPeriod = TimeSpan.FromSeconds(5);

    private static void Kill(int processId)
    {
        using var process = Process.GetProcessById(processId);
        process.Kill();
    }

    private static void Signal(int processId, string signal) => Process.Start("kill", ["-" + signal, processId.ToString()])!.WaitForExit();

    private static async Task WhenDeadAsync(ActorPool pool, int processId)
    {
        for (var wait = Stopwatch.StartNew(); !ProcessCleanup.HasEnded(processId) && wait.Elapsed < Bound;) await Task.Delay(10);
    }

    private static async Task<T?> Try<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (ActorNotExistException)
        {
            return null;
        }
    }
}
