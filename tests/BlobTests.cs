using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xoscar.Orleans.SharedMemory;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;
using Xoscar.Orleans.Testing;

namespace Xoscar.Orleans.Tests;

/// <summary>Blobs between pools of one machine: through shared memory, both ways, intact.</summary>
public sealed class BlobTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + i / 256)).ToArray();

    private static IEnumerable<string> SegmentsOfThisProcess() =>
        Directory.EnumerateFiles(SharedMemoryChannel.Folder, $"xoscar-blob-{Environment.ProcessId}-*");

    [Fact]
    public async Task Large_blob_goes_to_another_pool_and_back_through_shared_memory_intact()
    {
        var echo = await Xo.CreateActorAsync<BlobEcho, IBlobEcho>(null, NewUid(), Pool1);
        var bytes = Pattern(3 << 20);

        var reversed = await echo.Reverse(bytes);

        Assert.Equal(bytes.Reverse(), reversed.Bytes);
        Assert.NotEmpty(SegmentsOfThisProcess());
    }

    [Fact]
    public async Task Small_blob_arrives_intact()
    {
        var echo = await Xo.CreateActorAsync<BlobEcho, IBlobEcho>(null, NewUid(), Pool1);

        var reversed = await echo.Reverse(new byte[] { 1, 2, 3 });

        Assert.Equal([3, 2, 1], reversed.Bytes);
    }
}

/// <summary>The shared memory channel on its own.</summary>
public sealed class SharedMemoryChannelTests : IDisposable
{
    private readonly SharedMemoryChannel _channel = new(Options.Create(new XoscarOptions { SharedMemory = true, SharedMemoryThreshold = 16 }));

    public void Dispose() => _channel.Dispose();

    [Fact]
    public void Blob_written_is_read_back_equal()
    {
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

        var segment = _channel.TryWrite(bytes)!;

        Assert.Equal(bytes, _channel.Read(segment, bytes.Length));
    }

    [Fact]
    public void Unread_blob_released_by_its_sender_frees_its_segment()
    {
        var blob = _channel.TryWriteTicketed(new byte[100])!.Value;

        _channel.Release(blob);

        Assert.Equal(0, _channel.WaitingCount);
        Assert.Equal(blob.Path, _channel.TryWrite(new byte[100]));
    }

    [Fact]
    public void Release_of_a_blob_already_read_leaves_the_next_blob_in_its_segment_alone()
    {
        var first = _channel.TryWriteTicketed(new byte[100])!.Value;
        _channel.ReadInto(first, new byte[100]);
        var second = _channel.TryWriteTicketed(Enumerable.Repeat((byte)9, 100).ToArray())!.Value;

        _channel.Release(first);

        var read = new byte[100];
        _channel.ReadInto(second, read);
        Assert.Equal(first.Path, second.Path);
        Assert.All(read, b => Assert.Equal(9, b));
    }

    [Fact]
    public void Blob_released_by_its_sender_is_not_read_as_the_next_blob_in_its_segment()
    {
        var first = _channel.TryWriteTicketed(new byte[100])!.Value;
        _channel.Release(first);
        _channel.TryWriteTicketed(new byte[100]);

        Assert.Throws<InvalidOperationException>(() => _channel.ReadInto(first, new byte[100]));
    }

    [Fact]
    public void Segment_is_reused_once_its_blob_was_read()
    {
        var first = _channel.TryWrite(new byte[100])!;
        _channel.Read(first, 100);

        Assert.Equal(first, _channel.TryWrite(new byte[100]));
    }

    [Fact]
    public void Blob_filled_in_place_is_drained_in_place_equal_and_frees_its_segment()
    {
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var drained = new byte[bytes.Length];

        var segment = _channel.TryWrite(bytes.Length, window => bytes.CopyTo(window.Span))!;
        _channel.Drain(segment, bytes.Length, window => window.Span.CopyTo(drained));

        Assert.Equal(bytes, drained);
        Assert.Equal(segment, _channel.TryWrite(new byte[100]));
    }

    [Fact]
    public void Segment_whose_fill_throws_is_free_for_the_next_blob()
    {
        var segment = _channel.TryWrite(new byte[100])!;
        _channel.Read(segment, 100);

        Assert.Throws<InvalidOperationException>(() => _channel.TryWrite(100, _ => throw new InvalidOperationException("the device failed")));

        Assert.Equal(segment, _channel.TryWrite(new byte[100]));
    }

    [Fact]
    public void Segment_whose_blob_was_not_read_yet_is_not_reused()
    {
        var first = _channel.TryWrite(new byte[100])!;

        Assert.NotEqual(first, _channel.TryWrite(new byte[100]));
    }

    [Fact]
    public void Segments_idle_beyond_the_release_time_are_deleted_by_their_owner_and_unmapped_by_their_reader()
    {
        var options = Options.Create(new XoscarOptions { SharedMemory = true, SharedMemoryIdleRelease = TimeSpan.Zero });
        using var owner = new SharedMemoryChannel(options);
        using var reader = new SharedMemoryChannel(options);
        var first = owner.TryWrite(new byte[1 << 20])!;
        var second = owner.TryWrite(new byte[1 << 20])!;   // the first is not read yet: a second segment
        reader.Read(first, 1 << 20);
        reader.Read(second, 1 << 20);

        Assert.Equal(first, owner.TryWrite(new byte[1 << 20]));   // the idle second is deleted, the first kept
        reader.Read(first, 1 << 20);

        Assert.False(File.Exists(second));
        Assert.Equal(1, reader.MappedCount);
    }

    [Fact]
    public void Blob_beyond_the_shared_memory_budget_gets_no_segment()
    {
        using var small = new SharedMemoryChannel(Options.Create(new XoscarOptions { SharedMemory = true, MaxSharedMemory = 1 << 20 }));
        Assert.NotNull(small.TryWrite(new byte[1 << 20]));

        Assert.Null(small.TryWrite(new byte[1 << 20]));   // the first is not read yet, and a second segment would exceed the budget
    }

    [Fact]
    public async Task Blobs_beyond_the_budget_are_logged_once_as_travelling_in_their_message()
    {
        var logs = new PoolLogs();
        using var factory = LoggerFactory.Create(l => l.AddProvider(logs));
        using var small = new SharedMemoryChannel(
            Options.Create(new XoscarOptions { SharedMemory = true, MaxSharedMemory = 1 << 20 }), factory.CreateLogger<SharedMemoryChannel>());
        small.TryWrite(new byte[1 << 20]);

        small.TryWrite(new byte[1 << 20]);
        small.TryWrite(new byte[1 << 20]);

        var warning = await logs.WaitForAsync(line => line.Contains("travels in its message", StringComparison.Ordinal));
        Assert.Contains("MaxSharedMemory", warning);
        Assert.Single(logs.Lines, line => line.Contains("travels in its message", StringComparison.Ordinal));
    }

    [Fact]
    public void Segment_larger_than_the_shared_memory_fails_when_created_not_when_written()
    {
        var path = Path.Combine(SharedMemoryChannel.Folder, $"xoscar-blob-{Environment.ProcessId}-too-large");

        Assert.ThrowsAny<IOException>(() => SharedSegment.Create(path, 1L << 42));
        File.Delete(path);
    }

    [Fact]
    public void Blob_below_the_threshold_is_not_carried()
    {
        Assert.False(_channel.Carries(15));
        Assert.True(_channel.Carries(16));
    }

    [Fact]
    public void Segment_that_is_not_on_this_machine_is_refused_naming_it()
    {
        var missing = Path.Combine(SharedMemoryChannel.Folder, "xoscar-blob-1-999999");

        var error = Assert.Throws<InvalidOperationException>(() => _channel.Read(missing, 10));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Path_outside_the_shared_memory_folder_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => _channel.Read("/etc/passwd", 10));
    }

    [Fact]
    public void Segments_of_a_process_that_ended_are_deleted_when_segments_are_next_needed()
    {
        var orphan = Path.Combine(SharedMemoryChannel.Folder, $"xoscar-blob-{int.MaxValue - 1}-1");
        File.WriteAllBytes(orphan, new byte[128]);

        _channel.TryWrite(new byte[100]);

        Assert.False(File.Exists(orphan));
    }
}
