namespace Xoscar.Orleans.Tests.Actors;

/// <summary>Actors that call along a path of actors, so tests can close (or not close) a cycle of locked calls.</summary>
public interface ICycler : IActor
{
    /// <summary>Calls the next actor of <paramref name="path"/> and returns the uids visited, this one first.</summary>
    Task<string> Visit(ICycler[] path, int next);

    /// <summary>Like <see cref="Visit"/>, with the lock released while the next actor is awaited.</summary>
    [ReleasesLock] Task<string> VisitReleased(ICycler[] path, int next);

    /// <summary>Calls this actor again through its own reference.</summary>
    Task<string> VisitSelf();

    /// <summary>Calls this actor again through its own reference, in a batch.</summary>
    Task<string> BatchSelf();

    /// <summary>Streams one item, made by calling <paramref name="back"/> first.</summary>
    IAsyncEnumerable<string> Produce(ICycler back);

    /// <summary>Reads the stream of <paramref name="producer"/>, handing it this actor to call back.</summary>
    Task<string> ConsumeFrom(ICycler producer);

    /// <summary>Tells the next actor of <paramref name="path"/> to visit the rest, and returns without waiting for it.</summary>
    Task TellVisit(ICycler[] path, int next);

    /// <summary>Completes with what the last told <see cref="Visit"/> returned, or its error.</summary>
    Task<string> LastVisit();

    [Extensible] Task<string> Echo(string text);
}

public sealed class Cycler : Actor, ICycler
{
    private TaskCompletionSource<string> _lastVisit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<string> Visit(ICycler[] path, int next)
    {
        var visited = Uid;
        try
        {
            if (next < path.Length) visited += " " + await path[next].Visit(path, next + 1);
            _lastVisit.TrySetResult(visited);
            return visited;
        }
        catch (Exception error)
        {
            _lastVisit.TrySetException(error);
            throw;
        }
    }

    public async Task<string> VisitReleased(ICycler[] path, int next) =>
        Uid + " " + await ReleaseLockWhile(path[next].Visit(path, next + 1));

    public async Task<string> VisitSelf() => await Ref<ICycler>().Echo(Uid);

    public async Task<string> BatchSelf() => (await Ref<ICycler>().Batch([Uid], (c, text) => c.Echo(text)))[0];

    public Task TellVisit(ICycler[] path, int next) => path[next].Tell(c => c.Visit(path, next + 1)).AsTask();

    public Task<string> LastVisit() => _lastVisit.Task;

    public Task<string> Echo(string text) => Task.FromResult(text);

    public async IAsyncEnumerable<string> Produce(ICycler back)
    {
        yield return await back.Echo(Uid);
    }

    public Task<string> ConsumeFrom(ICycler producer) => Streams.ReadAll(producer.Produce(Ref<ICycler>()));
}

/// <summary>
/// A stateless actor with the calls the tests make of one: no lock, so never a cycle of its own, but it passes a
/// chain on (as a relay, or as a stream's consumer).
/// </summary>
public sealed class StatelessCycler : StatelessActor, ICycler
{
    public async Task<string> Visit(ICycler[] path, int next) =>
        next < path.Length ? Uid + " " + await path[next].Visit(path, next + 1) : Uid;

    public Task<string> ConsumeFrom(ICycler producer) => Streams.ReadAll(producer.Produce(Ref<ICycler>()));

    public Task<string> Echo(string text) => Task.FromResult(text);

    public Task<string> VisitReleased(ICycler[] path, int next) => throw new NotSupportedException();

    public Task<string> VisitSelf() => throw new NotSupportedException();

    public Task<string> BatchSelf() => throw new NotSupportedException();

    public IAsyncEnumerable<string> Produce(ICycler back) => throw new NotSupportedException();

    public Task TellVisit(ICycler[] path, int next) => throw new NotSupportedException();

    public Task<string> LastVisit() => throw new NotSupportedException();
}

internal static class Streams
{
    /// <summary>Reads a stream to its end; its items joined by spaces.</summary>
    public static async Task<string> ReadAll(IAsyncEnumerable<string> stream)
    {
        var items = new List<string>();
        await foreach (var item in stream) items.Add(item);
        return string.Join(" ", items);
    }
}
