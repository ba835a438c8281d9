using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Testing;

/// <summary>One thing a pool logged.</summary>
/// <param name="Level">Its level.</param>
/// <param name="EventId">Its event id (Xoscar's are 1000–4999).</param>
/// <param name="Category">The logger's category, usually the logging class.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, whose stack a console logger would print; or null.</param>
public sealed record PoolLogEntry(LogLevel Level, EventId EventId, string Category, string Message, Exception? Exception)
{
    /// <summary>One line: level, event id, category, message, and the exception's type and message.</summary>
    public override string ToString() =>
        Exception is null ? $"{Level} [{EventId.Id}] {Category}: {Message}" : $"{Level} [{EventId.Id}] {Category}: {Message} {Exception.GetType().FullName}: {Exception.Message}";
}
