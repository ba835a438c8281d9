using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// One sub pool: an <c>xoscar-pool</c> process that joined the main pool's cluster. Its standard output is read
/// for the ready line and passed on to this process's log; stopping it asks it to leave the cluster (SIGTERM),
/// then kills it after a timeout.
/// </summary>
internal sealed partial class SubPoolProcess
{
    private readonly Process _process;
    private readonly List<string> _unlogged = [];   // lines that came before the logger
    private ILogger? _logger;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _lastLines = new();
    private readonly TaskCompletionSource _died = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private readonly Lock _stopLock = new();
    private Task? _stop;

    private SubPoolProcess(Process process, int index)
    {
        _process = process;
        ProcessId = process.Id;
        Index = index;
    }

    private ILogger Logger => _logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The pool's index in its cluster.</summary>
    public int Index { get; }

    /// <summary>The pool's address, once ready.</summary>
    public string Address => _ready.Task.Result;

    /// <summary>The process id.</summary>
    public int ProcessId { get; }

    /// <summary>Completes when the process ends after its pool was ready without being asked to stop (it crashed or was killed).</summary>
    public Task Died => _died.Task;

    /// <summary>How the process ended, once <see cref="Died"/> completed: for every pool to say why this one is gone.</summary>
    public PoolObituary? Obituary { get; private set; }

    /// <summary>The process's exit code, once <see cref="Died"/> completed.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Whether its process has ended.</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (Exception error) when (error is InvalidOperationException or ObjectDisposedException)
            {
                return true;   // stopped and disposed
            }
        }
    }

    /// <summary>Kills its process (SIGKILL); its end is then reported as any death is.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception error) when (error is InvalidOperationException or ObjectDisposedException)
        {
            // Ended already.
        }
    }

    /// <summary>Whether its pool joined the cluster and accepts actors.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Where its start stands, for an error: joined, or not yet and what it printed last.</summary>
    public string DescribeStart()
    {
        var name = $"sub pool {Index} (pid {ProcessId})";
        if (IsReady) return $"{name} had joined";
        var lastWords = LastWords();
        return lastWords.Length == 0 ? $"{name} had not joined and printed nothing" : $"{name} had not joined; it printed last: {string.Join(" | ", lastWords)}";
    }

    /// <summary>The last lines it printed (not stack frames, shortened), oldest first: to quote in an error.</summary>
    public string[] LastWords()
    {
        string[] lastLines;
        lock (_lastLines) lastLines = [.. _lastLines];
        return lastLines[^Math.Min(5, lastLines.Length)..].Select(Quotable).ToArray();
    }

    /// <summary>
    /// Starts the process of a sub pool started with <c>--join-on-cue</c>: it gets ready (runtime, host, JIT) and
    /// waits for <see cref="JoinAsync"/>. Its output is kept until <see cref="AttachLogger"/>.
    /// </summary>
    public static async Task<SubPoolProcess> SpawnAsync(ProcessStartInfo start, int index)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = await ProcessSpawner.StartAsync(start);
        var pool = new SubPoolProcess(process, index);
        process.EnableRaisingEvents = true;
        process.OutputDataReceived += (_, e) => pool.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => pool.OnLine(e.Data);
        process.Exited += (_, _) => pool.OnExited();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (process.HasExited) pool.OnExited();
        return pool;
    }

    /// <summary>Logs the process's start and its output from now on, and what it printed before.</summary>
    public void AttachLogger(ILogger logger)
    {
        List<string> earlier;
        lock (_unlogged)
        {
            _logger = logger;
            earlier = [.. _unlogged];
            _unlogged.Clear();
        }

        LogStarted(logger, Index, ProcessId);
        foreach (var line in earlier) LogOutput(logger, LevelOf(line), Index, line);
    }

    /// <summary>Cues the pool to join the cluster and returns once it accepts actors.</summary>
    /// <exception cref="InvalidOperationException">The process ended before its pool was ready; the message quotes its last lines.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await _process.StandardInput.WriteLineAsync(PoolHostProtocol.JoinCue.AsMemory(), cancellationToken);
                await _process.StandardInput.FlushAsync(cancellationToken);
            }
            catch (IOException)
            {
                // The process has ended: its exit fails the ready wait below, quoting its last lines.
            }

            await _ready.Task.WaitAsync(cancellationToken);
        }
        catch
        {
            await StopAsync(TimeSpan.Zero);
            throw;
        }
    }

    /// <summary>Asks the pool to stop, waits up to <paramref name="timeout"/>, then kills its process tree; a second call waits for the first.</summary>
    public Task StopAsync(TimeSpan timeout)
    {
        lock (_stopLock) return _stop ??= StopOnceAsync(timeout);
    }

    private async Task StopOnceAsync(TimeSpan timeout)
    {
        _stopping = true;
        using var process = _process;
        if (process.HasExited) return;
        if (timeout > TimeSpan.Zero && !OperatingSystem.IsWindows()) _ = kill(ProcessId, SigTerm);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            LogStopped(Logger, Index, ProcessId, process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            LogKilled(Logger, Index, ProcessId, timeout.TotalSeconds);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        if (PoolHostProtocol.TryParseReady(line, out var address, out _))
        {
            _ready.TrySetResult(address);
            return;
        }

        if (!IsStackFrame(line))
        {
            // Kept to say why a start failed: the message of an unhandled exception, not the frames that bury it.
            lock (_lastLines)
            {
                _lastLines.Enqueue(line);
                if (_lastLines.Count > 20) _lastLines.Dequeue();
            }
        }

        ILogger? logger;
        lock (_unlogged)
        {
            logger = _logger;
            if (logger is null) _unlogged.Add(line);
        }

        if (logger is not null) LogOutput(logger, LevelOf(line), Index, line);
    }

    private void OnExited()
    {
        int exitCode;
        try
        {
            if (_stopping) return;
            exitCode = _process.ExitCode;
        }
        catch (Exception error) when (error is InvalidOperationException or ObjectDisposedException)
        {
            return;   // being stopped and disposed meanwhile
        }

        // The exit can be reported before the last output lines are; those say why it ended.
        _process.WaitForExit();
        string[] lastLines;
        lock (_lastLines) lastLines = [.. _lastLines];
        if (_ready.Task.IsCompletedSuccessfully)
        {
            LogExitedUnexpectedly(Logger, Index, ProcessId, exitCode);
            Obituary = new PoolObituary(Address, Index, ProcessId, ProcessEnding.Describe(exitCode), LastWords(), DateTime.UtcNow);
            ExitCode = exitCode;
            _died.TrySetResult();
            return;
        }

        _ready.TrySetException(new InvalidOperationException(
            $"Sub pool {Index} (pid {ProcessId}) {ProcessEnding.Describe(exitCode)} before it was ready. Its last lines:{Environment.NewLine}{string.Join(Environment.NewLine, lastLines)}"));
    }

    // A line fit to quote in an error message: without the stack trace a single-line log entry carries, and not too long.
    private static string Quotable(string line)
    {
        var frames = line.IndexOf("   at ", StringComparison.Ordinal);
        var text = (frames > 0 ? line[..frames] : line).Trim();
        return text.Length <= 240 ? text : text[..240] + "…";
    }

    private static bool IsStackFrame(string line)
    {
        var text = line.AsSpan().TrimStart();
        return text.StartsWith("at ", StringComparison.Ordinal) || text.StartsWith("--- End of", StringComparison.Ordinal);
    }

    // The sub pool logs with the simple console format: "warn: Category[id] message".
    private static LogLevel LevelOf(string line) => line.AsSpan(0, Math.Min(line.Length, 5)) switch
    {
        "fail:" or "crit:" => LogLevel.Error,
        "warn:" => LogLevel.Warning,
        _ => LogLevel.Information,
    };

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Sub pool {Index} started as process {ProcessId}")]
    private static partial void LogStarted(ILogger logger, int index, int processId);

    [LoggerMessage(EventId = 4102, Message = "Sub pool {Index}: {Line}")]
    private static partial void LogOutput(ILogger logger, LogLevel level, int index, string line);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Sub pool {Index} (process {ProcessId}) stopped with exit code {ExitCode}")]
    private static partial void LogStopped(ILogger logger, int index, int processId, int exitCode);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Sub pool {Index} (process {ProcessId}) did not stop within {Seconds} s; killed")]
    private static partial void LogKilled(ILogger logger, int index, int processId, double seconds);

    // The supervisor's "down" line (4501) says it at the default level, with how it ended.
    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug, Message = "Sub pool {Index} (process {ProcessId}) exited with code {ExitCode}")]
    private static partial void LogExitedUnexpectedly(ILogger logger, int index, int processId, int exitCode);
}
