namespace Xoscar.Orleans.Tests.Actors;

/// <summary>An actor that works through other actors: creates them, forwards calls, relays errors.</summary>
public interface ICaller : IActor
{
    Task<int> CreateCounterAndAdd(int start, int n);
    Task<int> AddTo(ICounter counter, int n);
    Task ThrowVia(IThrower thrower, string message);
}

public sealed class Caller : StatelessActor, ICaller
{
    public async Task<int> CreateCounterAndAdd(int start, int n)
    {
        var counter = await Context.CreateActorAsync<Counter, ICounter>([start]);
        return await counter.Add(n);
    }

    public Task<int> AddTo(ICounter counter, int n) => counter.Add(n);

    public Task ThrowVia(IThrower thrower, string message) => thrower.Throw(message);
}

public interface IThrower : IActor
{
    Task Throw(string message);
    Task ThrowUnknown(string message);
}

public sealed class Thrower : Actor, IThrower
{
    public Task Throw(string message) => throw new ArgumentOutOfRangeException(nameof(message), message);

    public Task ThrowUnknown(string message) => throw new ActorLocalError(message);
}

/// <summary>An exception type with no serializer: it cannot cross the wire as itself.</summary>
public sealed class ActorLocalError(string message) : Exception(message);
