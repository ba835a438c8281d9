using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class ActorPoolTests(PoolProcessesFixture fixture) : PoolProcessesTest(fixture)
{
    [Fact]
    public async Task Actor_created_at_each_pool_address_runs_in_that_pools_process_with_its_env()
    {
        var processes = new[] { Environment.ProcessId }.Concat(Pool.SubPoolProcessIds).ToList();

        for (var i = 0; i < Pool.Addresses.Count; i++)
        {
            var probe = await Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(address: Pool.Addresses[i]);

            Assert.Equal(Pool.Addresses[i], await probe.Where());
            Assert.Equal(processes[i], await probe.ProcessId());
            Assert.Equal(i == 0 ? null : i == 1 ? "one" : "two", await probe.Env(PoolProcessesFixture.EnvName));
        }

        Assert.Equal(3, processes.Distinct().Count());
    }

    [Fact]
    public async Task Actor_in_one_sub_pool_calls_an_actor_in_the_other_and_in_the_main_pool()
    {
        var probe = await Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(address: Pool.Addresses[1]);
        var inSubPool = await Xo.CreateActorAsync<Counter, ICounter>([10], address: Pool.Addresses[2]);
        var inMainPool = await Xo.CreateActorAsync<Counter, ICounter>([20], address: Pool.Addresses[0]);

        Assert.Equal(11, await probe.AddTo(inSubPool, 1));
        Assert.Equal(22, await probe.AddTo(inMainPool, 2));
        Assert.Equal(11, await inSubPool.Value());
    }

    [Fact]
    public async Task A_call_cycle_across_the_pool_processes_fails_at_once_naming_every_pool()
    {
        var path = new List<ICycler>();
        foreach (var address in Pool.Addresses) path.Add(await Xo.CreateActorAsync<Cycler, ICycler>(null, $"cycle-{path.Count}", address));
        path.Add(path[0]);

        var error = await Assert.ThrowsAsync<CallCycleException>(() => path[0].Visit([.. path], 1).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(Pool.Addresses.Select((a, i) => $"cycle-{i}@{a}.Visit").Append($"cycle-0@{Pool.Addresses[0]}.Visit"), error.Chain);
    }

    [Fact]
    public async Task Waiting_for_a_running_pool_to_recover_returns_at_once_and_an_unknown_address_is_refused()
    {
        foreach (var address in Pool.Addresses) await Pool.WaitPoolRecoveredAsync(address).WaitAsync(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Pool.WaitPoolRecoveredAsync("127.0.0.1:1"));
        Assert.Contains("127.0.0.1:1", error.Message);
    }

    [Fact]
    public async Task Killing_an_actor_of_the_main_pool_is_refused_naming_it_and_kills_nothing()
    {
        var probe = await Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(null, "unkillable", Pool.Address);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Xo.KillActorAsync(probe));

        Assert.Contains("'unkillable'", error.Message);
        Assert.Contains("main pool", error.Message);
        Assert.Equal(Environment.ProcessId, await probe.ProcessId());
        Assert.DoesNotContain(Pool.SubPoolProcessIds, ProcessCleanup.HasEnded);
    }

    [Fact]
    public async Task Pool_config_lists_every_pool_with_index_label_kind_process_and_env_from_any_pool()
    {
        var fromMain = await Xo.GetPoolConfigAsync();
        var fromSubPool = await Xo.GetPoolConfigAsync(Pool.Addresses[2]);

        Assert.Equal(Pool.Addresses, fromMain.Select(p => p.Address));
        Assert.Equal([0, 1, 2], fromMain.Select(p => p.Index));
        Assert.Equal(["main", "worker", "worker"], fromMain.Select(p => p.Label));
        Assert.Equal([PoolKind.Main, PoolKind.Sub, PoolKind.Sub], fromMain.Select(p => p.Kind));
        Assert.Equal([Environment.ProcessId, .. Pool.SubPoolProcessIds], fromMain.Select(p => p.ProcessId));
        Assert.Empty(fromMain[0].Env);
        Assert.Equal(Pool.GatewayPort, fromMain[0].GatewayPort);
        Assert.All(fromMain, p => Assert.NotEqual(0, p.GatewayPort));
        Assert.Equal("one", fromMain[1].Env[PoolProcessesFixture.EnvName]);
        Assert.Equal("two", fromMain[2].Env[PoolProcessesFixture.EnvName]);
        Assert.Equal(fromMain.Select(p => (p.Address, p.Index, p.Label, p.Kind, p.ProcessId)), fromSubPool.Select(p => (p.Address, p.Index, p.Label, p.Kind, p.ProcessId)));
        Assert.Equal("two", fromSubPool[2].Env[PoolProcessesFixture.EnvName]);   // as it crossed processes
    }

    [Fact]
    public async Task Destroyed_actor_in_a_sub_pool_is_gone_for_every_reference()
    {
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([1], "gone", Pool.Addresses[1]);
        var found = await Xo.ActorRefAsync<ICounter>(Pool.Addresses[1], "gone");

        await Xo.DestroyActorAsync(counter);

        Assert.False(await Xo.HasActorAsync(found));
        await Assert.ThrowsAsync<ActorNotExistException>(() => found.Add(1));
    }
}
