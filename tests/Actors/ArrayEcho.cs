using Orleans.Concurrency;

namespace Xoscar.Orleans.Tests.Actors;

/// <summary>Takes and returns plain arrays, each result a new array crossing back.</summary>
public interface IArrayEcho : IActor
{
    Task<byte[]> Reverse(byte[] data);
    Task<byte[]> Echo(byte[] data);
    Task<byte[]> Concat(byte[] first, byte[] second);
    Task<float[]> Double(float[] data);
    Task<double[]> Negate(double[] data);
    Task<ReadOnlyMemory<byte>> Reverse(ReadOnlyMemory<byte> data);

    /// <summary>Reverse with the parameter <c>[Immutable]</c>: the caller's proxy passes the array on without copying it.</summary>
    Task<byte[]> ReverseShared([Immutable] byte[] data);

    /// <summary>Sends <paramref name="data"/> to <paramref name="other"/>'s Reverse and says whether it came back reversed.</summary>
    Task<bool> ReverseVia(IArrayEcho other, byte[] data);
}

public sealed class ArrayEcho : Actor, IArrayEcho
{
    public Task<byte[]> Reverse(byte[] data) => Task.FromResult(data.Reverse().ToArray());

    public Task<byte[]> Echo(byte[] data) => Task.FromResult(data);

    public Task<byte[]> ReverseShared(byte[] data) => Task.FromResult(data.Reverse().ToArray());

    public Task<byte[]> Concat(byte[] first, byte[] second) => Task.FromResult(first.Concat(second).ToArray());

    public Task<float[]> Double(float[] data) => Task.FromResult(data.Select(x => x * 2).ToArray());

    public Task<double[]> Negate(double[] data) => Task.FromResult(data.Select(x => -x).ToArray());

    public Task<ReadOnlyMemory<byte>> Reverse(ReadOnlyMemory<byte> data) => Task.FromResult<ReadOnlyMemory<byte>>(data.ToArray().Reverse().ToArray());

    public async Task<bool> ReverseVia(IArrayEcho other, byte[] data) => (await other.Reverse(data)).SequenceEqual(data.Reverse());
}
