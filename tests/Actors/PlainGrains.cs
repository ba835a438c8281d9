namespace Xoscar.Orleans.Tests.Actors;

/// <summary>A grain of an existing Orleans application (no actor): Orleans' own placement, directory and activation.</summary>
public interface IPlainRelay : IGrainWithStringKey
{
    /// <summary>Creates a counter actor in the pool at <paramref name="address"/> through the façade it gets from DI.</summary>
    Task<ICounter> CreateCounter(string address, int start);

    /// <summary>Adds <paramref name="n"/> to <paramref name="counter"/> and returns its value.</summary>
    Task<int> Add(ICounter counter, int n);

    /// <summary>Calls <paramref name="user"/> back.</summary>
    Task<string> CallBack(IGrainUser user);
}

public sealed class PlainRelay(IActorContext xo) : Grain, IPlainRelay
{
    public Task<ICounter> CreateCounter(string address, int start) => xo.CreateActorAsync<Counter, ICounter>([start], address: address);

    public Task<int> Add(ICounter counter, int n) => counter.Add(n);

    public Task<string> CallBack(IGrainUser user) => user.Ping();
}

/// <summary>An actor that calls a plain grain.</summary>
public interface IGrainUser : IActor
{
    /// <summary>Has <paramref name="relay"/> add <paramref name="n"/> to <paramref name="counter"/>.</summary>
    Task<int> AddThrough(IPlainRelay relay, ICounter counter, int n);

    /// <summary>Has <paramref name="relay"/> call this actor back while this call holds its lock.</summary>
    Task<string> Bounce(IPlainRelay relay);

    Task<string> Ping();
}

public sealed class GrainUser : Actor, IGrainUser
{
    public Task<int> AddThrough(IPlainRelay relay, ICounter counter, int n) => relay.Add(counter, n);

    public Task<string> Bounce(IPlainRelay relay) => relay.CallBack(Ref<IGrainUser>());

    public Task<string> Ping() => Task.FromResult("pong");
}
