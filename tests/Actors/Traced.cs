using System.Diagnostics;

namespace Xoscar.Orleans.Tests.Actors;

/// <summary>An actor whose calls are traced: a plain send, a send that calls another actor, a batch method, a stream.</summary>
public interface ITraced : IActor
{
    Task<int> Add(int n);
    Task<int> Forward(ITraced next, int n);
    [Extensible] Task<int> Put(int n);
    IAsyncEnumerable<int> Count(int n);
    Task<int> Total();
    Task Fail(string message);
}

public sealed class Traced : Actor, ITraced
{
    private int _total;

    public Task<int> Add(int n) => Task.FromResult(_total += n);

    public async Task<int> Forward(ITraced next, int n) => await next.Add(n);

    public Task<int> Put(int n) => Task.FromResult(_total += n);

    public async IAsyncEnumerable<int> Count(int n)
    {
        for (var i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    public Task<int> Total() => Task.FromResult(_total);

    public Task Fail(string message) => throw new InvalidOperationException(message);
}

/// <summary>A span as a sub pool's <see cref="SpanRecorder"/> saw it end.</summary>
[GenerateSerializer, Immutable]
public sealed record RecordedSpan(string Name, string Source, string TraceId, string SpanId, string? ParentSpanId, int ProcessId, Dictionary<string, string?> Tags);

/// <summary>Records the spans its pool's process makes, for tests that trace calls through pool processes.</summary>
public interface ISpanRecorder : IActor
{
    Task Listen();
    Task<RecordedSpan[]> Spans(string traceId);
    Task StopListening();
}

public sealed class SpanRecorder : StatelessActor, ISpanRecorder
{
    private static readonly object Gate = new();
    private static Infrastructure.SpanCollector? s_collector;

    public Task Listen()
    {
        lock (Gate) s_collector ??= new Infrastructure.SpanCollector();
        return Task.CompletedTask;
    }

    public Task<RecordedSpan[]> Spans(string traceId)
    {
        var trace = ActivityTraceId.CreateFromString(traceId);
        lock (Gate)
        {
            return Task.FromResult((s_collector?.Of(trace) ?? []).Select(a => new RecordedSpan(
                a.DisplayName, a.Source.Name, a.TraceId.ToHexString(), a.SpanId.ToHexString(), a.ParentSpanId == default ? null : a.ParentSpanId.ToHexString(),
                Environment.ProcessId, a.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString()))).ToArray());
        }
    }

    public Task StopListening()
    {
        lock (Gate)
        {
            s_collector?.Dispose();
            s_collector = null;
        }

        return Task.CompletedTask;
    }
}
