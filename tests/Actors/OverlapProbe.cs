namespace Xoscar.Orleans.Tests.Actors;

/// <summary>Measures how many of its calls ever ran at the same time.</summary>
public interface IOverlapProbe : IActor
{
    Task Work(int delayMs);
    Task<int> MaxOverlap();
}

/// <summary>The measurement itself, shared by the stateful and the stateless probe.</summary>
public sealed class OverlapMeter
{
    private int _running;

    public int Max { get; private set; }

    public async Task Measure(int delayMs)
    {
        Max = Math.Max(Max, ++_running);
        await Task.Delay(delayMs);
        _running--;
    }
}

public sealed class StatefulProbe : Actor, IOverlapProbe
{
    private readonly OverlapMeter _meter = new();

    public Task Work(int delayMs) => _meter.Measure(delayMs);

    public Task<int> MaxOverlap() => Task.FromResult(_meter.Max);
}

public sealed class StatelessProbe : StatelessActor, IOverlapProbe
{
    private readonly OverlapMeter _meter = new();

    public Task Work(int delayMs) => _meter.Measure(delayMs);

    public Task<int> MaxOverlap() => Task.FromResult(_meter.Max);
}
