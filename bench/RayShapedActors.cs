using System.Runtime.CompilerServices;
using Xoscar.Orleans;

namespace Xoscar.Orleans.Bench;

/// <summary>A streaming actor: the shape of Ray's generator rows.</summary>
public interface IBenchStreamer : IActor
{
    IAsyncEnumerable<int> Count(int n);
}

public sealed class BenchStreamer : Actor, IBenchStreamer
{
    public async IAsyncEnumerable<int> Count(int n)
    {
        for (var i = 0; i < n; i++) yield return i;
        await Task.CompletedTask;
    }
}

/// <summary>The streaming baseline: a raw Orleans grain with an <see cref="IAsyncEnumerable{T}"/> method, placed in a pool the same way.</summary>
public interface IRawStreamer : IGrainWithStringKey
{
    IAsyncEnumerable<int> Count(int n);
}

[PoolAddressPlacement]
public sealed class RawStreamer : Grain, IRawStreamer
{
    public async IAsyncEnumerable<int> Count(int n)
    {
        for (var i = 0; i < n; i++) yield return i;
        await Task.CompletedTask;
    }
}
