using Orleans.Concurrency;
using Xoscar.Orleans;

namespace Xoscar.Orleans.Bench;

/// <summary>A stateless actor doing the counter's work: its calls run concurrently.</summary>
public interface IBenchStatelessCounter : IActor
{
    Task<int> Add(int n);
}

public sealed class BenchStatelessCounter : StatelessActor, IBenchStatelessCounter
{
    private int _value;

    public Task<int> Add(int n) => Task.FromResult(Interlocked.Add(ref _value, n));
}

/// <summary>The stateless actor's baseline: a reentrant Orleans grain, placed in a pool the same way.</summary>
public interface IRawReentrantCounter : IGrainWithStringKey
{
    Task<int> Add(int n);
}

[Reentrant, PoolAddressPlacement]
public sealed class RawReentrantCounter : Grain, IRawReentrantCounter
{
    private int _value;

    public Task<int> Add(int n) => Task.FromResult(Interlocked.Add(ref _value, n));
}

/// <summary>Receives a buffer and returns its length: what a large argument costs to move between pools.</summary>
public interface IBenchSink : IActor
{
    Task<int> Receive(byte[] data);

    /// <summary>The same, with the parameter marked <c>[Immutable]</c>: the caller's proxy does not copy the array first.</summary>
    Task<int> ReceiveShared([Immutable] byte[] data);

    Task<int> ReceiveBlob(Blob data);

    /// <summary>A buffer of <paramref name="length"/> bytes the sink holds, registered as a copy target.</summary>
    Task<BufferRef> CreateBuffer(int length);
}

public sealed class BenchSink : Actor, IBenchSink
{
    public Task<int> Receive(byte[] data) => Task.FromResult(data.Length);

    public Task<int> ReceiveShared(byte[] data) => Task.FromResult(data.Length);

    private byte[]? _buffer;

    public Task<int> ReceiveBlob(Blob data) => Task.FromResult(data.Length);

    public Task<BufferRef> CreateBuffer(int length)
    {
        _buffer = new byte[length];
        return Task.FromResult(Context.BufferRef(_buffer));
    }
}

/// <summary>The sink's baseline, and the create/destroy baseline: an Orleans grain that can be activated and deactivated.</summary>
public interface IRawSink : IGrainWithStringKey
{
    Task<int> Receive(byte[] data);

    Task<int> ReceiveShared([Immutable] byte[] data);

    Task Deactivate();
}

[PoolAddressPlacement]
public sealed class RawSink : Grain, IRawSink
{
    public Task<int> Receive(byte[] data) => Task.FromResult(data.Length);

    public Task<int> ReceiveShared(byte[] data) => Task.FromResult(data.Length);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
