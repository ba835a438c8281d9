using System.Runtime.CompilerServices;

namespace Xoscar.Orleans.Tests.Actors;

/// <summary>An actor whose calls, batches and streams take a while: its pool can be killed while they run.</summary>
public interface ICasualty : IActor
{
    /// <summary>The constructor argument: what a re-created actor must have again.</summary>
    Task<int> Start();

    [Extensible] Task<int> Step(int delayMs);

    IAsyncEnumerable<int> Ticks(int count, int delayMs, CancellationToken cancellationToken = default);
}

public sealed class Casualty(int start) : Actor, ICasualty
{
    public Task<int> Start() => Task.FromResult(start);

    public async Task<int> Step(int delayMs)
    {
        await Task.Delay(delayMs);
        return start;
    }

    public async IAsyncEnumerable<int> Ticks(int count, int delayMs, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(delayMs, cancellationToken);
            yield return i;
        }
    }
}

/// <summary>An actor whose creation takes long (its post-create hook waits): its pool can be killed while it is created.</summary>
public sealed class SlowStarter(int start) : Actor, ICasualty
{
    public override Task PostCreateAsync() => Task.Delay(TimeSpan.FromSeconds(30));

    public Task<int> Start() => Task.FromResult(start);

    public Task<int> Step(int delayMs) => Task.FromResult(start);

    public async IAsyncEnumerable<int> Ticks(int count, int delayMs, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return start;
    }
}
