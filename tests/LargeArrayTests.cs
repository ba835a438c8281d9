using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.SharedMemory;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Plain large arrays (no <see cref="Blob"/>) between pools of one machine: through shared memory, both ways, intact;
/// small ones and calls within a pool as before.
/// </summary>
public sealed class LargeArrayTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private const int Large = 4 << 20;   // above XoscarOptions.SharedMemoryThreshold (1 MiB)

    private SharedMemoryChannel ClientChannel => Fixture.Cluster.Client.ServiceProvider.GetRequiredService<SharedMemoryChannel>();

    private SharedMemoryChannel Pool1Channel => Fixture.Cluster.Silos[1].ServiceProvider.GetRequiredService<SharedMemoryChannel>();

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + i / 256)).ToArray();

    private Task<IArrayEcho> EchoInPool1() => Xo.CreateActorAsync<ArrayEcho, IArrayEcho>(null, NewUid(), Pool1);

    // What went through shared memory during a call: written by the client and read in pool 1 (arguments),
    // written in pool 1 and read by the client (results).
    private (long ArgumentsWritten, long ArgumentsRead, long ResultsWritten, long ResultsRead) Counters() =>
        (ClientChannel.WriteCount, Pool1Channel.ReadCount, Pool1Channel.WriteCount, ClientChannel.ReadCount);

    private async Task<(T Result, (long, long, long, long) Moved)> Measured<T>(Func<Task<T>> call)
    {
        var before = Counters();
        var result = await call();
        var after = Counters();
        return (result, (after.ArgumentsWritten - before.ArgumentsWritten, after.ArgumentsRead - before.ArgumentsRead,
            after.ResultsWritten - before.ResultsWritten, after.ResultsRead - before.ResultsRead));
    }

    [Fact]
    public async Task Large_byte_array_argument_and_result_cross_pools_through_shared_memory_intact()
    {
        var echo = await EchoInPool1();
        var bytes = Pattern(Large);

        var (reversed, moved) = await Measured(() => echo.Reverse(bytes));

        Assert.Equal(bytes.Reverse(), reversed);
        Assert.Equal((1L, 1L, 1L, 1L), moved);
    }

    [Fact]
    public async Task Large_float_array_argument_and_result_cross_pools_through_shared_memory_intact()
    {
        var echo = await EchoInPool1();
        var floats = Enumerable.Range(0, Large / sizeof(float)).Select(i => i * 0.25f - 1e5f).ToArray();

        var (doubled, moved) = await Measured(() => echo.Double(floats));

        Assert.Equal(floats.Select(x => x * 2), doubled);
        Assert.Equal((1L, 1L, 1L, 1L), moved);
    }

    [Fact]
    public async Task Large_double_array_argument_and_result_cross_pools_through_shared_memory_intact()
    {
        var echo = await EchoInPool1();
        var doubles = Enumerable.Range(0, Large / sizeof(double)).Select(i => Math.Sqrt(i) - 7.5).ToArray();

        var (negated, moved) = await Measured(() => echo.Negate(doubles));

        Assert.Equal(doubles.Select(x => -x), negated);
        Assert.Equal((1L, 1L, 1L, 1L), moved);
    }

    [Fact]
    public async Task Large_read_only_memory_argument_and_result_cross_pools_through_shared_memory_intact()
    {
        var echo = await EchoInPool1();
        var bytes = Pattern(Large);

        var (reversed, moved) = await Measured(() => echo.Reverse(new ReadOnlyMemory<byte>(bytes)));

        Assert.Equal(bytes.Reverse(), reversed.ToArray());
        Assert.Equal((1L, 1L, 1L, 1L), moved);
    }

    [Fact]
    public async Task Large_immutable_byte_array_argument_crosses_pools_through_shared_memory_and_stays_the_callers()
    {
        var echo = await EchoInPool1();
        var bytes = Pattern(Large);

        var (reversed, moved) = await Measured(() => echo.ReverseShared(bytes));

        Assert.Equal(bytes.Reverse(), reversed);
        Assert.Equal((1L, 1L, 1L, 1L), moved);
        Assert.Equal(Pattern(Large), bytes);   // not copied by the proxy, and not replaced by a marker in place
    }

    [Fact]
    public async Task Small_array_travels_in_the_message()
    {
        var echo = await EchoInPool1();
        var bytes = Pattern(1000);

        var (reversed, moved) = await Measured(() => echo.Reverse(bytes));

        Assert.Equal(bytes.Reverse(), reversed);
        Assert.Equal((0L, 0L, 0L, 0L), moved);
    }

    [Fact]
    public async Task Call_within_a_pool_passes_its_large_array_without_shared_memory()
    {
        var first = await EchoInPool1();
        var second = await EchoInPool1();
        var bytes = Pattern(Large);

        var (reversedThere, moved) = await Measured(() => first.ReverseVia(second, bytes));

        Assert.True(reversedThere);
        Assert.Equal((1L, 1L, 0L, 0L), moved);   // the client's argument only: nothing between the two actors
    }

    [Fact]
    public async Task Small_array_that_starts_like_a_marker_arrives_as_sent_beside_a_large_one()
    {
        var echo = await EchoInPool1();
        var large = Pattern(Large);
        var lookalike = ArrayMarker.MagicBytes.Concat(Pattern(200)).ToArray();

        var (joined, moved) = await Measured(() => echo.Concat(large, lookalike));

        Assert.Equal(large.Concat(lookalike), joined);
        Assert.Equal((1L, 1L, 1L, 1L), moved);
    }

    [Fact]
    public async Task Marker_shaped_result_of_a_call_returns_as_sent()
    {
        var echo = await EchoInPool1();
        var lookalike = (byte[])ArrayMarker.Make(new SharedMemoryBlob($"{SharedMemoryChannel.Folder}/xoscar-blob-1-1", 7, Large), 1, ArrayKind.Bytes);

        var echoed = await echo.Echo(lookalike);

        Assert.Equal(lookalike, echoed);
    }

    [Fact]
    public async Task Failed_call_leaves_no_segment_waiting()
    {
        var echo = await EchoInPool1();
        await Xo.DestroyActorAsync(echo);
        var written = ClientChannel.WriteCount;

        await Assert.ThrowsAsync<ActorNotExistException>(() => echo.Reverse(Pattern(Large)));

        Assert.Equal(written + 1, ClientChannel.WriteCount);
        Assert.Equal(0, ClientChannel.WaitingCount);
    }
}
