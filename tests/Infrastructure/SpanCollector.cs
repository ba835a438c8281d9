using System.Collections.Concurrent;
using System.Diagnostics;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// Listens, in this process, to Xoscar's activity source and to Orleans' (<c>Microsoft.Orleans.*</c>), samples every
/// span and keeps those that ended; stops listening when disposed.
/// </summary>
public sealed class SpanCollector : IDisposable
{
    /// <summary>The source of the spans that tests start as roots, in the caller's place.</summary>
    public static readonly ActivitySource TestSource = new("Xoscar.Orleans.Tests");

    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _ended = new();

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is XoscarTelemetry.ActivitySourceName or "Xoscar.Orleans.Tests" || source.Name.StartsWith("Microsoft.Orleans.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans of trace <paramref name="trace"/> that ended so far.</summary>
    public IReadOnlyList<Activity> Of(ActivityTraceId trace) => _ended.Where(a => a.TraceId == trace).ToList();

    /// <summary>Waits until the spans of trace <paramref name="trace"/> include one that <paramref name="match"/> accepts (spans end after the reply is sent).</summary>
    public async Task<Activity> WaitForAsync(ActivityTraceId trace, Func<Activity, bool> match)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (Of(trace).FirstOrDefault(match) is { } found) return found;
            if (DateTime.UtcNow > until) throw new TimeoutException($"No such span of trace {trace}; it has: {string.Join(", ", Of(trace).Select(a => a.DisplayName))}");
            await Task.Delay(10);
        }
    }

    public void Dispose() => _listener.Dispose();
}
