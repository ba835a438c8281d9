using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans;

/// <summary>
/// Calls that failed because their pool was down or recovering, counted and logged once per pool and error every
/// few seconds ("N calls to pool X failed with …"), instead of one entry per call: an outage under load would
/// otherwise write tens of thousands of lines, drowning the one that says what happened and costing CPU.
/// </summary>
internal sealed partial class OutageLog : IDisposable
{
    /// <summary>How often the counts are written.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Address, string Error), int> _failed = new();
    private readonly ILogger _logger;
    private readonly Timer _timer;
    private int _armed;

    public OutageLog(ILogger<OutageLog> logger)
    {
        _logger = logger;
        _timer = new Timer(static state => ((OutageLog)state!).Flush(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Counts one call to the pool at <paramref name="address"/> that failed with <paramref name="error"/>.</summary>
    public void Failed(string address, string error)
    {
        _failed.AddOrUpdate((address, error), 1, static (_, n) => n + 1);
        if (Interlocked.Exchange(ref _armed, 1) == 0) _timer.Change(Period, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Writes the counts so far and starts counting afresh.</summary>
    internal void Flush()
    {
        Volatile.Write(ref _armed, 0);
        foreach (var key in _failed.Keys)
        {
            if (_failed.TryRemove(key, out var count)) LogFailedCalls(_logger, count, key.Address, key.Error, Period.TotalSeconds);
        }
    }

    public void Dispose() => _timer.Dispose();

    [LoggerMessage(EventId = 4901, Level = LogLevel.Warning, Message = "{Count} calls to pool {Address} failed with {Error} in the last {Seconds:0} s")]
    private static partial void LogFailedCalls(ILogger logger, int count, string address, string error, double seconds);
}
