using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// An actor pool on another machine — its own network stack, reached only over a network link — joins the cluster
/// through Redis: actors call each other both ways, blobs cross over the network, and its pools keep their own config.
/// </summary>
[Collection(SeparateHostCollection.Name)]
public sealed class SeparateHostTests(SeparateHostFixture hosts)
{
    [SeparateHostFact]
    public async Task Actors_on_two_machines_call_each_other_both_ways()
    {
        var xo = hosts.HostA.Context;
        var onB = await xo.CreateActorAsync<Counter, ICounter>([10], address: hosts.HostB[1]);
        var onA = await xo.CreateActorAsync<Counter, ICounter>([100]);
        var probeOnB = await xo.CreateActorAsync<ProcessProbe, IProcessProbe>(address: hosts.HostB[1]);
        var probeOnA = await xo.CreateActorAsync<ProcessProbe, IProcessProbe>();

        Assert.Equal(hosts.HostBSubPoolProcessId, await probeOnB.ProcessId());
        Assert.Equal(102, await probeOnB.AddTo(onA, 2));   // B calls A
        Assert.Equal(13, await probeOnA.AddTo(onB, 3));    // A calls B
    }

    [SeparateHostFact]
    public async Task Blob_crosses_to_another_machine_over_the_network_not_shared_memory()
    {
        var echo = await hosts.HostA.Context.CreateActorAsync<BlobEcho, IBlobEcho>(address: hosts.HostB[1]);
        var bytes = new byte[3 << 20];
        Random.Shared.NextBytes(bytes);

        var reversed = await echo.Reverse(new Blob(bytes));

        Assert.False(hosts.HostA.Services.GetRequiredService<IOptions<XoscarOptions>>().Value.SharedMemory);
        Assert.Equal(bytes.Reverse().ToArray(), reversed.Bytes.ToArray());
    }

    [SeparateHostFact]
    public async Task Pool_config_of_the_other_machine_lists_its_main_pool_and_sub_pool()
    {
        var configs = await hosts.HostA.Context.GetPoolConfigAsync(hosts.HostB[1]);

        Assert.Equal(hosts.HostB, configs.Select(c => c.Address));
        Assert.All(configs, c => Assert.Equal(hosts.HostB[0], c.MainAddress));
        Assert.DoesNotContain(hosts.HostA.Address, (await hosts.HostA.Context.GetPoolConfigAsync(hosts.HostB[0])).Select(c => c.Address));
    }
}
