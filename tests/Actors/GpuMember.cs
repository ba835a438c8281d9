using System.Collections.Concurrent;
using Xoscar.Orleans.Gpu;

namespace Xoscar.Orleans.Tests.Actors;

public interface IGpuMember : IActor
{
    /// <summary>The device of the member's pool.</summary>
    Task<GpuDeviceInfo> Device();

    /// <summary>Allocates a device buffer of <paramref name="bytes"/> and keeps it, never disposing it: destroying the actor frees it.</summary>
    Task Keep(long bytes);

    /// <summary>Frees the buffers kept so far.</summary>
    Task Release();
}

/// <summary>
/// A GPU actor that counts its constructions by key (its pools run in the test process), allocates <c>bytes</c> in its
/// constructor, and fails in its post-create hook when told to.
/// </summary>
public sealed class GpuMember : Actor, IGpuMember
{
    private static readonly ConcurrentDictionary<string, int> Constructed = new();
    private readonly GpuAccelerator _gpu;
    private readonly bool _failToStart;
    private readonly List<GpuBuffer<byte>> _kept = [];

    public GpuMember(GpuAccelerator gpu, string key, long bytes, bool failToStart)
    {
        Constructed.AddOrUpdate(key, 1, (_, n) => n + 1);
        _gpu = gpu;
        _failToStart = failToStart;
        if (bytes > 0) _kept.Add(gpu.Allocate<byte>(bytes));
    }

    /// <summary>How many members were constructed with <paramref name="key"/> in this process.</summary>
    public static int ConstructedWith(string key) => Constructed.GetValueOrDefault(key);

    public override Task PostCreateAsync() => _failToStart ? throw new InvalidDataException("this member refuses to start") : Task.CompletedTask;

    public Task<GpuDeviceInfo> Device() => Task.FromResult(_gpu.Device);

    public Task Keep(long bytes)
    {
        _kept.Add(_gpu.Allocate<byte>(bytes));
        return Task.CompletedTask;
    }

    public Task Release()
    {
        _kept.ForEach(b => b.Dispose());
        _kept.Clear();
        return Task.CompletedTask;
    }
}
