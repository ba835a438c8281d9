using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>Keeps what the pools log, so tests can assert what was reported, and lets a test await a line.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    /// <summary>Every line captured so far.</summary>
    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <summary>Completes with the first line (logged before or after the call) that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match) => WaitForAsync(match, newOnly: false);

    /// <summary>Completes with the first line logged after the call that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForNewAsync(Func<string, bool> match) => WaitForAsync(match, newOnly: true);

    private Task<string> WaitForAsync(Func<string, bool> match, bool newOnly)
    {
        lock (_waiters)
        {
            foreach (var line in newOnly ? [] : _lines)
            {
                if (match(line)) return Task.FromResult(line);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task;
        }
    }

    private void Add(string line)
    {
        lock (_waiters)
        {
            _lines.Enqueue(line);
            _waiters.RemoveAll(w => w.Match(line) && w.Found.TrySetResult(line));
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) capture.Add($"{logLevel} [{eventId.Id}] {formatter(state, exception)} {exception?.GetType().FullName}: {exception?.Message}");
        }
    }
}
