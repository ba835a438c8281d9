using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// A sub pool whose process dies leaves word of how: calls to its actors, from any pool, fail with
/// <see cref="ServerClosedException"/> saying which process ended, how, and what it printed last — where Xoscar
/// reports only that the server closed.
/// </summary>
public sealed class PoolDeathTests
{
    [Fact]
    public async Task Calls_to_actors_of_a_crashed_sub_pool_say_how_it_ended_and_its_last_words_from_every_pool()
    {
        using var metrics = new MetricsRecorder();
        var down = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 2, ClusterId = "pool-death-test", OnSubPoolDown = a => down.TrySetResult(a) });
        try
        {
            var doomed = pool.Addresses[1];
            var crashedProcess = pool.SubPoolProcessIds[0];
            var counter = await pool.Context.CreateActorAsync<Counter, ICounter>([0], address: doomed);
            var crasher = await pool.Context.CreateActorAsync<Crasher, ICrasher>(address: doomed);
            var probe = await pool.Context.CreateActorAsync<ProcessProbe, IProcessProbe>(address: pool.Addresses[2]);

            await Assert.ThrowsAnyAsync<Exception>(() => crasher.Crash("out of coffee"));   // in flight: the reply never comes
            Assert.Equal(doomed, await down.Task.WaitAsync(TimeSpan.FromSeconds(30)));

            var fromMainPool = await Assert.ThrowsAsync<ServerClosedException>(() => counter.Add(1));
            var fromOtherSubPool = await Assert.ThrowsAsync<ServerClosedException>(() => probe.AddTo(counter, 1));
            foreach (var error in new[] { fromMainPool, fromOtherSubPool })
            {
                Assert.Equal(doomed, error.Address);
                Assert.Contains($"pid {crashedProcess}", error.Message);
                Assert.Contains("SIGABRT", error.Message);
                Assert.Contains("out of coffee", error.Message);
            }

            var death = Assert.Single(metrics.Of("xoscar.pool.sub_pool_deaths"), m => Equals(m.Tags["xoscar.pool.address"], doomed));
            Assert.Equal(134, death.Tags["process.exit.code"]);
        }
        finally
        {
            await ProcessCleanup.StopAsync(pool);
        }
    }

    [Fact]
    public async Task Calls_to_actors_of_a_sub_pool_killed_through_an_actor_name_that_actor_and_the_caller_as_Orleans_knows_it()
    {
        var down = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 2, ClusterId = "pool-kill-test", OnSubPoolDown = a => down.TrySetResult(a) });
        try
        {
            var victim = await pool.Context.CreateActorAsync<Counter, ICounter>([0], "victim", pool.Addresses[1]);
            var killer = await pool.Context.CreateActorAsync<ProcessProbe, IProcessProbe>(uid: "killer", address: pool.Addresses[2]);

            await killer.Kill(victim);   // from another sub pool: passed on to the main pool, which kills
            await down.Task.WaitAsync(TimeSpan.FromSeconds(30));

            var error = await Assert.ThrowsAsync<ServerClosedException>(() => victim.Add(1));
            Assert.Contains($"was killed by KillActorAsync from actor 'killer' of pool {pool.Addresses[2]} on actor 'victim'", error.Message);
        }
        finally
        {
            await ProcessCleanup.StopAsync(pool);
        }
    }

    [Theory]
    [InlineData(137, "SIGKILL")]
    [InlineData(134, "SIGABRT")]
    [InlineData(139, "SIGSEGV")]
    [InlineData(143, "SIGTERM")]
    [InlineData(233, "parent process")]
    [InlineData(129, "signal 1")]
    [InlineData(3, "exited with code 3")]
    public void Exit_codes_are_told_in_words(int exitCode, string words)
    {
        Assert.Contains(words, ProcessEnding.Describe(exitCode));
    }
}
