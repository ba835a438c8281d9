using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo.Runtime;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Keeps the sub pool processes of an <see cref="ActorPool"/> (Xoscar's sub pool monitor). A sub pool whose process
/// dies is removed from the cluster at once, instead of after Orleans' failure detection (several missed probes,
/// seconds), so that calls to its actors fail fast; with <see cref="ActorPoolOptions.AutoRecover"/> it is then
/// restarted with the same command line and address, and (<see cref="SubPoolRecovery.Actors"/>) its actors are
/// created again from their specs. Sub pools
/// can be added and removed while the pool runs.
/// </summary>
internal sealed partial class SubPoolSupervisor
{
    private readonly EmbeddedActorPool _main;
    private readonly ActorPoolOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly List<Slot> _slots = [];

    // Actors a recovery re-creates at once: each creation waits on its actor's constructor and post-create hook.
    private const int RecreatedAtOnce = 32;

    private static readonly TimeSpan SpareDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HealthCheckPeriod = TimeSpan.FromSeconds(1);

    public SubPoolSupervisor(EmbeddedActorPool main, IEnumerable<(SubPoolProcess Process, ProcessStartInfo Start)> started, ActorPoolOptions options, ILogger logger)
    {
        _main = main;
        _options = options;
        _logger = logger;
        foreach (var (process, start) in started) Watch(new Slot(start, process));
    }

    /// <summary>The sub pools now, in index order.</summary>
    public IReadOnlyList<SubPoolProcess> Current
    {
        get
        {
            lock (_slots) return _slots.Select(s => s.Process).OrderBy(p => p.Index).ToList();
        }
    }

    /// <summary>Starts one more sub pool from <paramref name="start"/> and returns once the main pool can place actors in it.</summary>
    public async Task<SubPoolProcess> AddAsync(ProcessStartInfo start, int index, CancellationToken cancellationToken)
    {
        var process = await StartInTimeAsync(start, index, "new", cancellationToken);
        SubPoolCommandLine.KeepAddress(start, process.Address);   // a restart (and its spare) comes back at the same address
        Watch(new Slot(start, process));
        return process;
    }

    // Starts a sub pool process and returns once the main pool can place actors in it, within StartTimeout.
    private async Task<SubPoolProcess> StartInTimeAsync(ProcessStartInfo start, int index, string which, CancellationToken cancellationToken)
    {
        var process = await SubPoolProcess.SpawnAsync(start, index);
        process.AttachLogger(_logger);
        return await JoinInTimeAsync(process, which, cancellationToken);
    }

    // Cues a started (or standby) sub pool process to join and returns once the main pool can place actors in it, within StartTimeout.
    private async Task<SubPoolProcess> JoinInTimeAsync(SubPoolProcess process, string which, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        stopping.CancelAfter(_options.StartTimeout);
        try
        {
            await process.JoinAsync(stopping.Token);
            await WaitUntilPlaceableAsync(process, stopping.Token);
            return process;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_closing.IsCancellationRequested)
        {
            var timedOut = new TimeoutException(
                $"The {which} sub pool did not start within {_options.StartTimeout.TotalSeconds:0.###} s (ActorPoolOptions.StartTimeout): {process.DescribeStart()}; it was stopped.");
            await process.StopAsync(TimeSpan.Zero);
            throw timedOut;
        }
        catch
        {
            await process.StopAsync(TimeSpan.Zero);
            throw;
        }
    }

    /// <summary>
    /// Completes at once while the sub pool at <paramref name="address"/> runs, or when recovery is off; after its process
    /// died, once it has been recovered (actors re-created, where they are), removed, or the pool stopped.
    /// </summary>
    /// <exception cref="ArgumentException">No sub pool of this pool runs at <paramref name="address"/>.</exception>
    public Task WaitRecoveredAsync(string address, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            var slot = _slots.FirstOrDefault(s => s.Process.Address == address) ?? throw new ArgumentException(
                $"No sub pool of this actor pool runs at {address}; its sub pools: {string.Join(", ", _slots.Select(s => s.Process.Address))}.", nameof(address));
            // The process may have died a moment ago, before its watch noticed: ask the system too.
            var alive = !slot.Recovering && !slot.Process.Died.IsCompleted && !ProcessState.HasEnded(slot.Process.ProcessId);
            return alive || _options.AutoRecover == SubPoolRecovery.None ? Task.CompletedTask : slot.Recovered.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops the sub pool at <paramref name="address"/> gracefully and forgets it.</summary>
    /// <exception cref="ArgumentException">No sub pool of this pool runs at <paramref name="address"/>.</exception>
    public async Task RemoveAsync(string address)
    {
        Slot slot;
        lock (_slots)
        {
            slot = _slots.FirstOrDefault(s => s.Process.Address == address)
                ?? throw new ArgumentException($"No sub pool of this actor pool runs at {address}.", nameof(address));
            _slots.Remove(slot);
        }

        await slot.Removed.CancelAsync();
        await slot.Watcher;
        await Task.WhenAll(slot.Process.StopAsync(_options.StopTimeout), slot.StopSpareAsync());
        await DeclareDeadAsync(address);   // normally done by its graceful leave; not if it had to be killed
        // Calls to its actors say it was removed on purpose, not a crash the pool might have had before.
        await TellPoolsAsync(new PoolObituary(address, slot.Process.Index, slot.Process.ProcessId, "was stopped by RemoveSubPoolAsync", [], DateTime.UtcNow));
        _main.Services.GetRequiredService<RecoverableActors>().Take(address);
        _main.Services.GetRequiredService<PoolAllocator>().PoolEnded(address, recovered: false);
    }

    /// <summary>Stops watching (no more restarts), then stops every sub pool gracefully, killing any that outlast the stop timeout.</summary>
    public async Task StopAsync()
    {
        await _closing.CancelAsync();
        List<Slot> slots;
        lock (_slots) slots = [.. _slots];
        await Task.WhenAll(slots.Select(s => s.Watcher));
        await Task.WhenAll(slots.Select(s => s.Process.StopAsync(_options.StopTimeout)).Concat(slots.Select(s => s.StopSpareAsync())));
    }

    private void Watch(Slot slot)
    {
        lock (_slots) _slots.Add(slot);
        slot.Watcher = WatchAsync(slot);
        PrepareSpare(slot);
        if (_options.HangTimeout is { } timeout) _ = CheckHealthAsync(slot, timeout);
    }

    // Calls each sub pool every second; one that does not answer within the hang timeout is killed, so that it is
    // handled like a crash. A process that dies meanwhile is its watch's to handle.
    private async Task CheckHealthAsync(Slot slot, TimeSpan timeout)
    {
        var references = _main.Services.GetRequiredService<ActorReferences>();
        using var every = new PeriodicTimer(HealthCheckPeriod);
        try
        {
            while (await every.WaitForNextTickAsync(_closing.Token) && !slot.Removed.IsCancellationRequested)
            {
                var process = slot.Process;
                if (slot.Recovering || process.HasExited) continue;
                try
                {
                    await references.Pool(process.Address).Ping().WaitAsync(timeout, _closing.Token);
                }
                catch (TimeoutException) when (ReferenceEquals(process, slot.Process) && !process.HasExited)
                {
                    LogSubPoolHung(_logger, process.Index, process.Address, process.ProcessId, timeout.TotalSeconds);
                    _main.Services.GetRequiredService<PoolObituaries>().Killing(process.Address,
                        $"was killed by its main pool after leaving calls unanswered for {timeout.TotalSeconds:0.#} s (stopped, deadlocked, or every thread blocked; ActorPoolOptions.HangTimeout)");
                    process.Kill();
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // It died or is going: its watch handles that.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The pool is stopping.
        }
    }

    // A recoverable sub pool keeps a spare process, ready up to listening on the sub pool's ports: when the sub pool
    // dies, the spare takes over its address without a process start (runtime, assemblies, services).
    private void PrepareSpare(Slot slot)
    {
        if (_options.AutoRecover == SubPoolRecovery.None || !_options.WarmSpares) return;
        var process = slot.Process;
        slot.KeepSpare(Task.Run(async () =>
        {
            // Not at once: the pool has just started and is busy, and Orleans tells silos of one address apart by their
            // start second (the spare must be younger than the process it will replace).
            await Task.Delay(SpareDelay, _closing.Token);
            slot.Removed.Token.ThrowIfCancellationRequested();
            var spare = await SubPoolProcess.SpawnAsync(SubPoolCommandLine.Restart(slot.Start, _options.AutoRecover, standby: true), process.Index);
            spare.AttachLogger(_logger);
            return spare;
        }));
    }

    private async Task WatchAsync(Slot slot)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token, slot.Removed.Token);
        try
        {
            while (true)
            {
                await slot.Process.Died.WaitAsync(stopping.Token);
                lock (_slots) slot.Recovering = true;
                var obituary = await RemoveFromClusterAsync(slot.Process);
                if (_options.AutoRecover == SubPoolRecovery.None) return;
                try
                {
                    await RecoverAsync(slot, stopping.Token);
                }
                catch (Exception error) when (!stopping.IsCancellationRequested)
                {
                    // Calls waiting for it stop waiting: they fail now, saying how it ended.
                    LogRecoveryFailed(_logger, error, slot.Process.Index, slot.Process.Address);
                    _main.Services.GetRequiredService<PoolAllocator>().PoolEnded(slot.Process.Address, recovered: false);
                    Publish(PoolEventKind.PoolFailed, slot.Process, $"could not be recovered; calls to it fail: {error.Message}", error.Message);
                    if (obituary is not null) await TellPoolsAsync(obituary with { Recovering = false });
                    return;
                }

                lock (_slots) slot.Back();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The pool or this sub pool is being stopped.
        }
        catch (Exception error)
        {
            LogSupervisionFailed(_logger, error, slot.Process.Index);
        }
        finally
        {
            // No recovery will come: whoever waits for one goes on (and finds the pool down).
            slot.Recovered.TrySetResult();
        }
    }

    // Declares the dead sub pool dead at once and tells every pool how it ended, and whether it is coming back.
    private async Task<PoolObituary?> RemoveFromClusterAsync(SubPoolProcess subPool)
    {
        var obituary = subPool.Obituary;
        if (obituary is not null && _main.Services.GetRequiredService<PoolObituaries>().TakeKilling(subPool.Address) is { } killed)
        {
            obituary = obituary with { Ending = killed };
        }

        obituary = obituary is null ? null : obituary with { Recovering = _options.AutoRecover != SubPoolRecovery.None };
        // What its actors held (GPU reservations, idle slots) goes with them, unless they are to be re-created.
        _main.Services.GetRequiredService<PoolAllocator>().PoolEnded(subPool.Address, recovered: _options.AutoRecover == SubPoolRecovery.Actors);
        // This pool first: calls it places from now on wait for the recovery, or fail saying how the sub pool ended.
        if (obituary is not null) _main.Services.GetRequiredService<PoolObituaries>().Record(obituary);
        await DeclareDeadAsync(subPool.Address);
        LogSubPoolDown(_logger, subPool.Index, subPool.Address, obituary?.Describe());
        Publish(PoolEventKind.PoolDown, subPool, $"is down: {obituary?.Describe() ?? "its process ended."}", obituary?.Ending, subPool.ExitCode);
        if (subPool.ExitCode is { } exitCode) _main.Services.GetRequiredService<ActorMetrics>().RecordSubPoolDeath(subPool.Address, exitCode);
        if (obituary is not null) await TellPoolsAsync(obituary);
        Notify(_options.OnSubPoolDown, subPool.Address);
        return obituary;
    }

    // Every pool of the cluster learns how the sub pool ended, so that a call to one of its actors, from anywhere, says so.
    private async Task TellPoolsAsync(PoolObituary obituary)
    {
        var references = _main.Services.GetRequiredService<ActorReferences>();
        var pools = _main.Services.GetRequiredService<PoolDirectory>().Pools().Where(p => p.Address != obituary.Address);
        await Task.WhenAll(pools.Select(async pool =>
        {
            try
            {
                await references.Pool(pool.Address).RecordPoolDeath(obituary).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception error)
            {
                LogObituaryNotDelivered(_logger, error, obituary.Address, pool.Address);
            }
        }));
    }

    private async Task DeclareDeadAsync(string address)
    {
        var membership = _main.Services.GetRequiredService<IClusterMembershipService>();
        var silo = membership.CurrentSnapshot.Members.Values
            .FirstOrDefault(m => m.Status == SiloStatus.Active && PoolAddresses.Of(m.SiloAddress) == address)?.SiloAddress;
        if (silo is not null) await membership.TryKill(silo);
    }

    // Restarts the sub pool at its address, re-creates its actors (with SubPoolRecovery.Actors) and tells every pool it is back.
    private async Task RecoverAsync(Slot slot, CancellationToken cancellationToken)
    {
        var address = slot.Process.Address;
        var recoverable = _main.Services.GetRequiredService<RecoverableActors>();
        LogSubPoolRecovering(_logger, slot.Process.Index, address, recoverable.CountOf(address));
        var cause = _main.Services.GetRequiredService<PoolObituaries>().Of(address)?.Ending;
        Publish(PoolEventKind.PoolRecovering, slot.Process, $"being recovered: restarting it with {recoverable.CountOf(address)} actors to re-create", cause);
        var clock = Stopwatch.StartNew();
        var (restarted, how) = await RestartAsync(slot, cancellationToken);
        var started = clock.Elapsed;
        slot.Process = restarted;
        PrepareSpare(slot);

        var references = _main.Services.GetRequiredService<ActorReferences>();
        var pool = references.Pool(address);
        var placement = _main.Services.GetRequiredService<ActorPlacement>();
        var specs = recoverable.Take(address);
        var recreated = 0;
        await Parallel.ForEachAsync(specs, new ParallelOptions { MaxDegreeOfParallelism = RecreatedAtOnce, CancellationToken = cancellationToken }, async (spec, _) =>
        {
            try
            {
                await placement.RecreateAsync(address, spec);   // its hold (a GPU reservation, an idle slot) first
                Interlocked.Increment(ref recreated);
            }
            catch (Exception error)
            {
                LogActorNotRecreated(_logger, error, spec.Uid, address);
            }
        });

        _main.Services.GetRequiredService<PoolAllocator>().RecoveryEnded(address);
        if (_options.AutoRecover == SubPoolRecovery.Actors) await pool.EndRecovery();
        _main.Services.GetRequiredService<PoolObituaries>().Recovered(address);
        var pools = _main.Services.GetRequiredService<PoolDirectory>().Pools().Select(p => p.Address).ToList();
        await Task.WhenAll(pools.Select(async other =>
        {
            try
            {
                await references.Pool(other).RecordPoolRecovered(address).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogRecoveryNotDelivered(_logger, error, address, other);
            }
        }));
        LogSubPoolRecovered(_logger, restarted.Index, address, restarted.ProcessId, recreated, specs.Count, clock.Elapsed.TotalMilliseconds, how, started.TotalMilliseconds);
        Publish(PoolEventKind.PoolRecovered, restarted,
            $"back as process {restarted.ProcessId}: {recreated} of {specs.Count} actors re-created, in {clock.Elapsed.TotalMilliseconds:0} ms ({how})", cause);
        Notify(_options.OnSubPoolRecovered, address);
    }

    // The sub pool's spare takes over where it is ready; otherwise (none, or it failed) a process starts from cold.
    private async Task<(SubPoolProcess Process, string How)> RestartAsync(Slot slot, CancellationToken cancellationToken)
    {
        var spare = slot.TakeSpare();
        if (spare is { IsCompletedSuccessfully: true } && !spare.Result.HasExited)
        {
            try
            {
                return (await JoinInTimeAsync(spare.Result, "spare", cancellationToken), "its spare");
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogSpareFailed(_logger, error, slot.Process.Index);
            }
        }
        else if (spare is not null)
        {
            _ = Slot.StopAsync(spare);   // not ready yet (the sub pool died soon after it started): a cold start is as quick
        }

        return (await StartInTimeAsync(SubPoolCommandLine.Restart(slot.Start, _options.AutoRecover, standby: false), slot.Process.Index, "restarted", cancellationToken), "a new process");
    }

    private Task WaitUntilPlaceableAsync(SubPoolProcess subPool, CancellationToken cancellationToken) =>
        _main.Services.GetRequiredService<PoolDirectory>().WaitForPoolsAsync(
            pools => pools.Any(p => p.Address == subPool.Address && p.ProcessId == subPool.ProcessId), cancellationToken);

    // On the pool events stream, after the log line: publishing only queues the event.
    private void Publish(PoolEventKind kind, SubPoolProcess subPool, string description, string? cause, int? exitCode = null) =>
        _main.Services.GetRequiredService<IPoolEventSink>().Publish(new PoolEvent(
            kind, DateTime.UtcNow, subPool.Address, $"Sub pool {subPool.Index} at {subPool.Address} {description}", subPool.Index, subPool.ProcessId, cause,
            exitCode, ProcessEnding.SignalOf(exitCode)));

    private void Notify(Action<string>? callback, string address)
    {
        try
        {
            callback?.Invoke(address);
        }
        catch (Exception error)
        {
            // As in Xoscar, a failing callback is logged and does not stop the supervision.
            LogCallbackFailed(_logger, error, address);
        }
    }

    /// <summary>One sub pool: how to start its process, the process now, and its watch.</summary>
    private sealed class Slot(ProcessStartInfo start, SubPoolProcess process)
    {
        public ProcessStartInfo Start { get; } = start;

        public SubPoolProcess Process { get; set; } = process;

        public CancellationTokenSource Removed { get; } = new();

        public Task Watcher { get; set; } = Task.CompletedTask;

        /// <summary>Keeps <paramref name="spare"/> (being started, then waiting for its cue) for the next restart.</summary>
        public void KeepSpare(Task<SubPoolProcess> spare) => Volatile.Write(ref _spare, spare);

        /// <summary>Takes the spare for a restart: it is no longer this slot's to stop.</summary>
        public Task<SubPoolProcess>? TakeSpare() => Interlocked.Exchange(ref _spare, null);

        private Task<SubPoolProcess>? _spare;

        /// <summary>Stops the spare, if there is one.</summary>
        public Task StopSpareAsync() => TakeSpare() is { } spare ? StopAsync(spare) : Task.CompletedTask;

        /// <summary>Stops <paramref name="spare"/> once it has started, or not at all if it never does.</summary>
        public static async Task StopAsync(Task<SubPoolProcess> spare)
        {
            try
            {
                await (await spare).StopAsync(TimeSpan.Zero);
            }
            catch (Exception error) when (error is OperationCanceledException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It never started, or ended already.
            }
        }

        /// <summary>Whether its process died and it is not back yet.</summary>
        public bool Recovering { get; set; }

        /// <summary>Completed when the sub pool is back after its process died (then replaced for the next time).</summary>
        public TaskCompletionSource Recovered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Marks a recovery done.</summary>
        public void Back()
        {
            Recovering = false;
            var recovered = Recovered;
            Recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            recovered.TrySetResult();
        }
    }

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Sub pool {Index} at {Address} is down and removed from the cluster. {Obituary}")]
    private static partial void LogSubPoolDown(ILogger logger, int index, string address, string? obituary);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning,
        Message = "Sub pool {Index} at {Address} is back as process {ProcessId}; {Recreated} of {Actors} actors re-created; recovered in {Milliseconds:0} ms ({How} joined after {StartMilliseconds:0} ms)")]
    private static partial void LogSubPoolRecovered(ILogger logger, int index, string address, int processId, int recreated, int actors, double milliseconds, string how, double startMilliseconds);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Error, Message = "Actor {Uid} could not be re-created in recovered pool {Address}")]
    private static partial void LogActorNotRecreated(ILogger logger, Exception error, string uid, string address);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Error, Message = "A sub pool callback for {Address} failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception error, string address);

    [LoggerMessage(EventId = 4506, Level = LogLevel.Warning, Message = "Pool {Pool} could not be told how sub pool {Address} ended")]
    private static partial void LogObituaryNotDelivered(ILogger logger, Exception error, string address, string pool);

    [LoggerMessage(EventId = 4507, Level = LogLevel.Warning, Message = "Sub pool {Index} at {Address} is being recovered: restarting it with {Actors} actors to re-create")]
    private static partial void LogSubPoolRecovering(ILogger logger, int index, string address, int actors);

    [LoggerMessage(EventId = 4508, Level = LogLevel.Error, Message = "Sub pool {Index} at {Address} could not be recovered; calls to it fail")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception error, int index, string address);

    [LoggerMessage(EventId = 4509, Level = LogLevel.Warning, Message = "Pool {Pool} could not be told that sub pool {Address} is back")]
    private static partial void LogRecoveryNotDelivered(ILogger logger, Exception error, string address, string pool);

    [LoggerMessage(EventId = 4511, Level = LogLevel.Warning, Message = "Sub pool {Index} at {Address} (pid {ProcessId}) has not answered for {Seconds:0.#} s: killing it as hung")]
    private static partial void LogSubPoolHung(ILogger logger, int index, string address, int processId, double seconds);

    [LoggerMessage(EventId = 4510, Level = LogLevel.Warning, Message = "The spare of sub pool {Index} could not take over; starting a new process")]
    private static partial void LogSpareFailed(ILogger logger, Exception error, int index);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Error, Message = "Supervision of sub pool {Index} failed; it is no longer watched")]
    private static partial void LogSupervisionFailed(ILogger logger, Exception error, int index);
}
