using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>What the <c>xoscar-pool</c> command tells the person who started it.</summary>
public sealed class PoolHostCliTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_main_pool_prints_a_client_line_that_connects_as_pasted()
    {
        using var host = PoolHostLauncher.Start("--cluster-id", "cli-client-line");
        try
        {
            var lines = new List<string>();
            var (address, _) = await PoolHostLauncher.ReadUntilReadyAsync(host, lines).WaitAsync(Bound);
            var line = Assert.Single(lines, l => l.StartsWith("xoscar-pool client: ", StringComparison.Ordinal));
            var file = line.Split('"')[1];

            await using var client = await ActorClient.ConnectAsync(new ActorClientOptions { ConnectionFile = file });
            var pools = await client.Context.GetPoolConfigAsync();

            Assert.Equal(address, Assert.Single(pools).Address);
            Assert.EndsWith("await ActorClient.ConnectAsync(new ActorClientOptions { ConnectionFile = \"" + file + "\" });", line);
        }
        finally
        {
            ProcessCleanup.KillIfRunning([host.Id]);
        }
    }
}
