using Xunit.Abstractions;

namespace Xoscar.Orleans.Testing;

/// <summary>What a pool logged while one test ran, written to that test's output as it came (<see cref="PoolLogs.Capture"/>).</summary>
public sealed class TestLogs : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly Action<TestLogs> _release;
    private readonly List<PoolLogEntry> _entries = [];
    private bool _ended;

    internal TestLogs(ITestOutputHelper output, Action<TestLogs> release)
    {
        _output = output;
        _release = release;
    }

    /// <summary>What was logged since the capture began.</summary>
    public IReadOnlyList<PoolLogEntry> Entries
    {
        get
        {
            lock (_entries) return _entries.ToArray();
        }
    }

    internal void Add(PoolLogEntry entry)
    {
        lock (_entries)
        {
            if (_ended) return;
            _entries.Add(entry);
            try
            {
                _output.WriteLine(entry.Exception is null ? entry.ToString() : $"{entry}{Environment.NewLine}{entry.Exception}");
            }
            catch (InvalidOperationException)
            {
                _ended = true;   // the test is over: xunit takes no more output for it
            }
        }
    }

    /// <summary>Ends the capture: later lines go to the next test's.</summary>
    public void Dispose()
    {
        lock (_entries) _ended = true;
        _release(this);
    }
}
