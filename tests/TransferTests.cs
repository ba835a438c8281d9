using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Copies into registered buffers and file objects (Xoscar's buffer_ref, file_object_ref and copy_to).</summary>
public sealed class TransferTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private const int Block = 1 << 20;

    // Whole blocks (through shared memory), a remainder and a small buffer (in the message).
    private static readonly int[] Sizes = [3 * Block + 5, Block, 10_000];

    [Fact]
    public async Task Buffers_copied_by_an_actor_to_buffers_in_another_pool_arrive_equal()
    {
        var (sender, receiver) = (await Transferer(Pool0), await Transferer(Pool1));
        var targets = await receiver.CreateBuffers(Sizes);

        await sender.CopyPatterns(targets, Block);

        Assert.Equal(Sizes.Select(Patterns.Of), await receiver.ReadBuffers(targets));
    }

    [Fact]
    public async Task Buffers_copied_within_one_pool_arrive_equal()
    {
        var (sender, receiver) = (await Transferer(Pool1), await Transferer(Pool1));
        var targets = await receiver.CreateBuffers(Sizes);

        await sender.CopyPatterns(targets, Block);

        Assert.Equal(Sizes.Select(Patterns.Of), await receiver.ReadBuffers(targets));
    }

    [Fact]
    public async Task Concurrent_copies_from_a_client_to_two_sets_of_buffers_arrive_equal()
    {
        var receiver = await Transferer(Pool1);
        var (first, second) = (await receiver.CreateBuffers(Sizes), await receiver.CreateBuffers(Sizes));
        var data = Sizes.Select(s => (ReadOnlyMemory<byte>)Patterns.Of(s)).ToArray();
        var reversed = Sizes.Select(s => (ReadOnlyMemory<byte>)Patterns.Of(s).Reverse().ToArray()).ToArray();

        await Task.WhenAll(Xo.CopyToAsync(data, first), Xo.CopyToAsync(reversed, second));

        Assert.Equal(data.Select(d => d.ToArray()), await receiver.ReadBuffers(first));
        Assert.Equal(reversed.Select(d => d.ToArray()), await receiver.ReadBuffers(second));
    }

    [Fact]
    public async Task Source_shorter_than_its_target_fills_the_start_and_leaves_the_rest()
    {
        var receiver = await Transferer(Pool1);
        var targets = await receiver.CreateBuffers([100]);

        await Xo.CopyToAsync([Patterns.Of(60)], targets);

        var buffer = (await receiver.ReadBuffers(targets))[0];
        Assert.Equal(Patterns.Of(60), buffer[..60]);
        Assert.All(buffer[60..], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task Copy_with_no_sources_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Xo.CopyToAsync(Array.Empty<ReadOnlyMemory<byte>>(), Array.Empty<BufferRef>()));
    }

    [Fact]
    public async Task Copy_with_more_sources_than_targets_is_refused_naming_both_counts()
    {
        var targets = await (await Transferer(Pool1)).CreateBuffers([10]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Xo.CopyToAsync([new byte[10], new byte[10]], targets));

        Assert.Contains("2 sources were given for 1 targets", error.Message);
    }

    [Fact]
    public async Task Block_size_that_is_not_positive_is_refused()
    {
        var targets = await (await Transferer(Pool1)).CreateBuffers([10]);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Xo.CopyToAsync([new byte[10]], targets, blockSize: -1));

        Assert.Equal("blockSize", error.ParamName);
    }

    [Fact]
    public async Task Source_longer_than_its_target_is_refused_before_any_byte_is_sent()
    {
        var receiver = await Transferer(Pool1);
        var targets = await receiver.CreateBuffers([100, 10]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Xo.CopyToAsync([Patterns.Of(100), Patterns.Of(11)], targets));

        Assert.Contains($"Source 1 holds 11 bytes, more than its target, {targets[1]}", error.Message);
        Assert.All((await receiver.ReadBuffers(targets))[0], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task Copy_to_a_buffer_its_owner_let_go_of_raises_the_typed_error_naming_the_pool()
    {
        var receiver = await Transferer(Pool1);
        var target = await receiver.CreateUnheldBuffer(Block);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var error = await Assert.ThrowsAsync<TransferTargetNotFoundException>(() => Xo.CopyToAsync([Patterns.Of(Block)], [target]));

        Assert.Equal((Pool1, target.Id), (error.Address, error.Id));
        Assert.Contains(Pool1, error.Message);
    }

    [Fact]
    public async Task Copy_to_a_buffer_never_registered_raises_the_typed_error()
    {
        var forged = new BufferRef(Pool1, Guid.NewGuid(), 10);

        await Assert.ThrowsAsync<TransferTargetNotFoundException>(() => Xo.CopyToAsync([new byte[10]], [forged]));
    }

    [Fact]
    public async Task Copy_to_a_file_object_never_registered_raises_the_typed_error()
    {
        var forged = new FileObjectRef(Pool1, Guid.NewGuid());
        using var source = new MemoryStream(Patterns.Of(100));

        var error = await Assert.ThrowsAsync<TransferTargetNotFoundException>(() => Xo.CopyToAsync([source], [forged]));

        Assert.Contains("file object", error.Message);
    }

    [Fact]
    public async Task Copy_cancelled_before_it_starts_sends_nothing()
    {
        var receiver = await Transferer(Pool1);
        var targets = await receiver.CreateBuffers([100]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Xo.CopyToAsync([Patterns.Of(100)], targets, cancellationToken: new CancellationToken(canceled: true)));

        Assert.All((await receiver.ReadBuffers(targets))[0], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_client_cannot_register_a_buffer_since_only_pools_receive_copies()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Xo.BufferRef(new byte[10]));

        Assert.Contains("client", error.Message);
    }

    [Fact]
    public async Task Buffer_ref_of_another_pool_cannot_be_read_here()
    {
        var targets = await (await Transferer(Pool1)).CreateBuffers([10]);
        var reader = await Transferer(Pool0);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => reader.ReadBuffers(targets));

        Assert.Contains(Pool1, error.Message);
    }

    [Fact]
    public async Task Files_copied_to_file_objects_in_another_pool_arrive_equal()
    {
        var folder = Directory.CreateTempSubdirectory("xoscar-transfer-");
        try
        {
            int[] sizes = [3 * Block + 7, 0, 100_000];
            var sources = sizes.Select((size, i) => Path.Combine(folder.FullName, $"source-{i}")).ToArray();
            for (var i = 0; i < sizes.Length; i++) await File.WriteAllBytesAsync(sources[i], Patterns.Of(sizes[i]));
            var (sender, receiver) = (await Transferer(Pool0), await Transferer(Pool1));
            var copies = sizes.Select((size, i) => Path.Combine(folder.FullName, $"copy-{i}")).ToArray();
            var targets = await receiver.CreateFiles(copies);

            await sender.CopyFiles(sources, targets, Block);

            Assert.Equal(sizes.Select(s => (long)s), await receiver.CloseFiles());
            foreach (var (source, copy) in sources.Zip(copies)) Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(copy));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private Task<ITransferer> Transferer(string pool) => Xo.CreateActorAsync<Transferer, ITransferer>(null, NewUid(), pool);
}
