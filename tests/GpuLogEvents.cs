using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Tests;

/// <summary>A logger that keeps the event ids and messages it was given, at every level.</summary>
public sealed class GpuLogEvents : ILogger
{
    public ConcurrentQueue<(int EventId, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((eventId.Id, formatter(state, exception)));
}
