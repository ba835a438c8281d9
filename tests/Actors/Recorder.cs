namespace Xoscar.Orleans.Tests.Actors;

/// <summary>Keeps a list of events that other actors report to it.</summary>
public interface IRecorder : IActor
{
    Task Record(string entry);
    Task<List<string>> Entries();
}

public sealed class Recorder : Actor, IRecorder
{
    private readonly List<string> _entries = [];

    public Task Record(string entry)
    {
        _entries.Add(entry);
        return Task.CompletedTask;
    }

    public Task<List<string>> Entries() => Task.FromResult(_entries.ToList());
}
