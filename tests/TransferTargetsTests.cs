using System.Buffers;
using System.Runtime.CompilerServices;
using Xoscar.Orleans.Transfers;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>A pool's registry of copy targets on its own.</summary>
public sealed class TransferTargetsTests
{
    private readonly TransferTargets _targets = new("127.0.0.1:11111");

    [Fact]
    public void A_slice_of_an_array_is_registered_as_that_slice()
    {
        var array = new byte[100];
        var id = _targets.Add(array.AsMemory(10, 20));

        Assert.True(_targets.TryGetBuffer(id, out var buffer));
        buffer.Span.Fill(7);

        Assert.Equal(20, array.Count(b => b == 7));
        Assert.Equal(7, array[10]);
        Assert.Equal(0, array[30]);
    }

    [Fact]
    public void Memory_of_a_memory_manager_is_registered()
    {
        using var manager = new OwnMemory(64);
        var id = _targets.Add(manager.Memory[8..]);

        Assert.True(_targets.TryGetBuffer(id, out var buffer));
        Assert.Equal(56, buffer.Length);
        buffer.Span[0] = 42;
        Assert.Equal(42, manager.GetSpan()[8]);
    }

    [Fact]
    public void A_buffer_nobody_holds_is_gone_after_a_collection()
    {
        var id = RegisterUnheld();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(_targets.TryGetBuffer(id, out _));
    }

    [Fact]
    public void A_stream_is_found_as_a_stream_and_not_as_a_buffer()
    {
        using var stream = new MemoryStream();
        var id = _targets.Add(stream);

        Assert.Same(stream, _targets.FindStream(id));
        Assert.False(_targets.TryGetBuffer(id, out _));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Guid RegisterUnheld() => _targets.Add(new byte[1000]);

    // Memory that is not an array's as far as MemoryMarshal can tell (TryGetArray is not overridden).
    private sealed class OwnMemory(int length) : MemoryManager<byte>
    {
        private readonly byte[] _bytes = new byte[length];

        public override Span<byte> GetSpan() => _bytes;

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
