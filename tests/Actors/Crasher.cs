namespace Xoscar.Orleans.Tests.Actors;

/// <summary>An actor that ends its pool's process the way a fatal error would.</summary>
public interface ICrasher : IActor
{
    /// <summary>Ends the process at once with <paramref name="message"/> (Environment.FailFast): no reply ever comes.</summary>
    Task Crash(string message);
}

public sealed class Crasher : Actor, ICrasher
{
    public Task Crash(string message)
    {
        Environment.FailFast(message);
        return Task.CompletedTask;   // never reached
    }
}
