using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>Listens to the <c>Xoscar.Orleans</c> meters of the pools in this process and keeps what they record.</summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly List<(Func<Measurement, bool> Match, TaskCompletionSource Found)> _waiters = [];

    public MetricsRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Xoscar.Orleans") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(new Measurement(i.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(new Measurement(i.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    /// <summary>What the instrument <paramref name="name"/> recorded so far.</summary>
    public IReadOnlyList<Measurement> Of(string name) => _measurements.Where(m => m.Instrument == name).ToList();

    /// <summary>Asks the observable instruments for their values now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>Completes once a measurement that <paramref name="match"/> accepts was recorded (before or after the call).</summary>
    public Task WaitForAsync(Func<Measurement, bool> match)
    {
        lock (_waiters)
        {
            if (_measurements.Any(match)) return Task.CompletedTask;
            var found = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task;
        }
    }

    private void Add(Measurement measurement)
    {
        lock (_waiters)
        {
            _measurements.Enqueue(measurement);
            _waiters.RemoveAll(w => w.Match(measurement) && w.Found.TrySetResult());
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>One recorded value with its tags.</summary>
    public sealed record Measurement(string Instrument, double Value, Dictionary<string, object?> Tags)
    {
        public object? Tag(string key) => Tags.GetValueOrDefault(key);
    }
}
