using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class PoolClientTests(PoolProcessesFixture fixture) : PoolProcessesTest(fixture)
{
    [Fact]
    public async Task Client_connected_to_the_main_pool_gateway_creates_and_calls_actors_in_sub_pools_by_address()
    {
        var pool = Pool;
        using var client = new HostBuilder()
            .UseOrleansClient(c => c
                .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, pool.GatewayPort))
                .Configure<ClusterOptions>(o => o.ClusterId = o.ServiceId = "pool-processes-test")
                .AddXoscar(configureClient: o => o.DefaultAddress = pool.Address))
            .Build();
        await client.StartAsync();
        try
        {
            var xo = client.Services.GetRequiredService<IActorContext>();

            var counter = await xo.CreateActorAsync<Counter, ICounter>([5], address: pool.Addresses[2]);
            var probe = await xo.CreateActorAsync<ProcessProbe, IProcessProbe>(new ProcessIndex(1));

            Assert.Equal(6, await counter.Add(1));
            Assert.Equal(pool.SubPoolProcessIds[0], await probe.ProcessId());
            Assert.Equal(8, await probe.AddTo(counter, 2));
            Assert.Equal(3, (await xo.GetPoolConfigAsync()).Count);
        }
        finally
        {
            await client.StopAsync();
        }
    }
}
