using System.Globalization;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Core-bound pools: the fixture's sub pools are pinned to cores 0 and 1.</summary>
public sealed class CorePoolTests(PoolProcessesFixture fixture) : PoolProcessesTest(fixture)
{
    private static string AllowedCoresOf(int processId) =>
        File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim();

    [Fact]
    public void Sub_pool_processes_are_pinned_to_their_cores()
    {
        Assert.Equal(["0", "1"], Pool.SubPoolProcessIds.Select(AllowedCoresOf));
    }

    [Fact]
    public async Task Pool_config_names_each_pools_core()
    {
        var configs = await Xo.GetPoolConfigAsync();

        Assert.Equal([null, 0, 1], configs.Select(c => c.Core));
    }

    [Fact]
    public async Task Actor_placed_on_a_core_runs_on_a_thread_pinned_to_that_core()
    {
        foreach (var core in new[] { 0, 1 })
        {
            var probe = await Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(new CorePool(core));

            Assert.Equal(Pool.Addresses[core + 1], await probe.Where());
            Assert.Equal(core.ToString(CultureInfo.InvariantCulture), await probe.AllowedCores());
        }
    }

    [Fact]
    public async Task Actor_placed_on_any_core_pool_lands_in_a_pinned_sub_pool()
    {
        var probe = await Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(new CorePool());

        Assert.Contains(await probe.Where(), Pool.Addresses.Skip(1));
    }

    [Fact]
    public async Task Core_that_does_not_exist_is_refused_before_anything_starts()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, Cores = [Environment.ProcessorCount] }));

        Assert.Equal(nameof(ActorPoolOptions.Cores), error.ParamName);
    }
}
