using System.Diagnostics;

namespace Xoscar.Orleans.Tests.Actors;

/// <summary>CPU-bound calls, and which activation ran them.</summary>
public interface ICruncher : IActor
{
    Task<CrunchReport> Crunch(int milliseconds);
}

/// <summary>What a call saw: its activation, the actor's identity and the constructor argument.</summary>
[GenerateSerializer, Alias("xoscar.tests.CrunchReport")]
public sealed record CrunchReport([property: Id(0)] Guid Activation, [property: Id(1)] ActorId Actor, [property: Id(2)] string Setting);

[ScaleOut(4)]
public sealed class Cruncher(string setting, IRecorder recorder) : StatelessActor, ICruncher
{
    private readonly Guid _activation = Guid.NewGuid();

    public override Task PostCreateAsync() => recorder.Record("post-create");

    public override Task PreDestroyAsync() => recorder.Record("pre-destroy");

    public Task<CrunchReport> Crunch(int milliseconds)
    {
        for (var clock = Stopwatch.StartNew(); clock.ElapsedMilliseconds < milliseconds;)
        {
            Thread.SpinWait(1000);   // CPU-bound on purpose: that is what scale-out is for
        }

        return Task.FromResult(new CrunchReport(_activation, Id, setting));
    }
}

public interface IScaledCounter : IActor
{
    Task<int> Add(int n);
}

/// <summary>Refused: a stateful actor cannot scale out.</summary>
[ScaleOut(2)]
public sealed class ScaledCounter : Actor, IScaledCounter
{
    private int _value;

    public Task<int> Add(int n) => Task.FromResult(_value += n);
}
