namespace Xoscar.Orleans.Tests.Actors;

public interface ICounter : IActor
{
    Task<int> Add(int n);
    ValueTask<int> AddSlowly(int n, int delayMs);
    Task<int> Value();
    Task<ICounter> Self();
    Task<string> Where();
}

public sealed class Counter(int start) : Actor, ICounter
{
    private int _value = start;

    public Task<int> Add(int n) => Task.FromResult(_value += n);

    public async ValueTask<int> AddSlowly(int n, int delayMs)
    {
        await Task.Delay(delayMs);
        return _value += n;
    }

    public Task<int> Value() => Task.FromResult(_value);

    public Task<ICounter> Self() => Task.FromResult(Ref<ICounter>());

    public Task<string> Where() => Task.FromResult(Address);
}
