using Xoscar.Orleans;

namespace ClientAndPool;

/// <summary>The greeter's typed interface, shared by the pool that hosts it and the client that calls it.</summary>
public interface IGreeter : IActor
{
    Task<string> Greet(string name);
}

/// <summary>A stateful actor: it counts the greetings it gave, one call at a time.</summary>
public sealed class Greeter(string greeting) : Actor, IGreeter
{
    private int _given;

    public Task<string> Greet(string name) => Task.FromResult($"{greeting}, {name}! (greeting {++_given} from '{Uid}' in pool {Address}, process {Environment.ProcessId})");
}
