namespace Xoscar.Orleans.Tests.Actors;

/// <summary>An actor used only by the metrics tests, so that its class tags no other test's calls.</summary>
public interface IMetered : IActor
{
    [Extensible] Task<int> Work(int x);
    Task Fail(string message);
}

public sealed class Metered : Actor, IMetered
{
    public Task<int> Work(int x) => Task.FromResult(x + 1);

    public Task Fail(string message) => throw new InvalidOperationException(message);
}
