using Xoscar.Orleans.Gpu;

namespace Xoscar.Orleans.Tests.Actors;

/// <summary>What a hand-off looked like from the sending actor.</summary>
[GenerateSerializer]
public sealed record GpuHandOff(
    [property: Id(0)] long SentPointer,
    [property: Id(1)] long SeenPointer,
    [property: Id(2)] bool SameObjectBack,
    [property: Id(3)] float[] Returned);

public interface IGpuRelay : IActor
{
    /// <summary>Uploads <paramref name="data"/>, passes the buffer to <paramref name="worker"/> (Pointer, then Echo) and reports.</summary>
    Task<GpuHandOff> HandOff(IGpuWorker worker, float[] data);

    /// <summary>Sends one buffer to <paramref name="worker"/>'s Copy <paramref name="calls"/> times, freeing each result; returns the last result's elements.</summary>
    Task<float[]> CopyRepeatedly(IGpuWorker worker, float[] data, int calls);

    /// <summary>Has <paramref name="worker"/> upload <paramref name="data"/> and keeps the buffer it returns, never disposing it.</summary>
    Task KeepFrom(IGpuWorker worker, float[] data);

    /// <summary>The elements of the buffer kept.</summary>
    Task<float[]> Kept();
}

public sealed class GpuRelay(GpuAccelerator gpu) : Actor, IGpuRelay
{
    private GpuBuffer<float>? _kept;

    public async Task<GpuHandOff> HandOff(IGpuWorker worker, float[] data)
    {
        using var buffer = gpu.Upload<float>(data);
        var seen = await worker.Pointer(buffer);
        var back = await worker.Echo(buffer);
        var same = ReferenceEquals(back, buffer);
        var returned = back.ToArray();
        if (!same) back.Dispose();
        return new GpuHandOff(buffer.DevicePointer, seen, same, returned);
    }

    public async Task<float[]> CopyRepeatedly(IGpuWorker worker, float[] data, int calls)
    {
        using var buffer = gpu.Upload<float>(data);
        var last = Array.Empty<float>();
        for (var i = 0; i < calls; i++)
        {
            using var copy = await worker.Copy(buffer);
            if (i == calls - 1) last = copy.ToArray();
        }

        return last;
    }

    public async Task KeepFrom(IGpuWorker worker, float[] data) => _kept = await worker.Upload(data);

    public Task<float[]> Kept() => Task.FromResult(_kept!.ToArray());
}
