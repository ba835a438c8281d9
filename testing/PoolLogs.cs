using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Xoscar.Orleans.Testing;

/// <summary>
/// What a pool logs, kept for assertions (and awaitable line by line), and written to the output of the test running
/// while it is logged (<see cref="Capture"/>). A pool fixture adds it to its pool's logging.
/// </summary>
/// <remarks>
/// The tests of one class or collection run one at a time, so what a shared pool logs while a test runs is that
/// test's. Sub pools' lines reach the main pool's log, and so this.
/// </remarks>
public sealed class PoolLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<PoolLogEntry> _entries = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly List<TestLogs> _captures = [];

    /// <summary>The lowest level kept: <see cref="LogLevel.Warning"/> unless set (the pool's own level also applies).</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Warning;

    /// <summary>Everything kept so far.</summary>
    public IReadOnlyCollection<PoolLogEntry> Entries => _entries.ToArray();

    /// <summary>Everything kept so far, one line each (<see cref="PoolLogEntry.ToString"/>).</summary>
    public IReadOnlyCollection<string> Lines => _entries.Select(e => e.ToString()).ToArray();

    /// <summary>Writes what is logged from now until the result is disposed to <paramref name="output"/>, the running test's.</summary>
    /// <returns>The test's logs: dispose it when the test ends (a test class's <c>Dispose</c>).</returns>
    public TestLogs Capture(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var capture = new TestLogs(output, Release);
        lock (_waiters) _captures.Add(capture);
        return capture;
    }

    /// <summary>Completes with the first line (logged before or after the call) that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match) => WaitForAsync(match, newOnly: false);

    /// <summary>Completes with the first line logged after the call that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForNewAsync(Func<string, bool> match) => WaitForAsync(match, newOnly: true);

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private Task<string> WaitForAsync(Func<string, bool> match, bool newOnly)
    {
        ArgumentNullException.ThrowIfNull(match);
        lock (_waiters)
        {
            foreach (var line in newOnly ? [] : Lines)
            {
                if (match(line)) return Task.FromResult(line);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task;
        }
    }

    private void Add(PoolLogEntry entry)
    {
        var line = entry.ToString();
        lock (_waiters)
        {
            _entries.Enqueue(entry);
            _waiters.RemoveAll(w => w.Match(line) && w.Found.TrySetResult(line));
            foreach (var capture in _captures) capture.Add(entry);
        }
    }

    private void Release(TestLogs capture)
    {
        lock (_waiters) _captures.Remove(capture);
    }

    private sealed class Logger(PoolLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= logs.MinimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) logs.Add(new PoolLogEntry(logLevel, eventId, category, formatter(state, exception), exception));
        }
    }
}
