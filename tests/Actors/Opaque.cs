namespace Xoscar.Orleans.Tests.Actors;

/// <summary>A type with no Orleans serializer (no <c>[GenerateSerializer]</c>): it cannot travel in a call.</summary>
public sealed class Opaque
{
    public int Value { get; init; }
}

/// <summary>Methods that take or return a type with no serializer, statically or behind <c>object</c>.</summary>
public interface IOpaqueHandler : IActor
{
    [Extensible] Task<int> Take(Opaque value);
    Task<Opaque> Give();
    Task<int> TakeAny(object value);
    Task<object> GiveAny();
    Task<int> Sum(IEnumerable<int> values);
    Task<int> Ping();
}

public sealed class OpaqueHandler : Actor, IOpaqueHandler
{
    public Task<int> Take(Opaque value) => Task.FromResult(value.Value);

    public Task<Opaque> Give() => Task.FromResult(new Opaque { Value = 1 });

    public Task<int> TakeAny(object value) => Task.FromResult(1);

    public Task<object> GiveAny() => Task.FromResult<object>(new Opaque { Value = 1 });

    public Task<int> Sum(IEnumerable<int> values) => Task.FromResult(values.Sum());

    public Task<int> Ping() => Task.FromResult(1);
}

/// <summary>Created with an argument of a type with no serializer.</summary>
public sealed class OpaqueOwner(Opaque value) : Actor, IOpaqueHandler
{
    public Task<int> Take(Opaque other) => Task.FromResult(value.Value + other.Value);

    public Task<Opaque> Give() => Task.FromResult(value);

    public Task<int> TakeAny(object other) => Task.FromResult(value.Value);

    public Task<object> GiveAny() => Task.FromResult<object>(value);

    public Task<int> Sum(IEnumerable<int> values) => Task.FromResult(values.Sum() + value.Value);

    public Task<int> Ping() => Task.FromResult(value.Value);
}
