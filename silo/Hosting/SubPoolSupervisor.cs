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
        Watch(new Slot(start, process));
        return process;
    }

    // Starts a sub pool process and returns once the main pool can place actors in it, within StartTimeout.
    private async Task<SubPoolProcess> StartInTimeAsync(ProcessStartInfo start, int index, string which, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        stopping.CancelAfter(_options.StartTimeout);
        var process = await SubPoolProcess.SpawnAsync(start, index);
        process.AttachLogger(_logger);
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
        await slot.Process.StopAsync(_options.StopTimeout);
        await DeclareDeadAsync(address);   // normally done by its graceful leave; not if it had to be killed
        // Calls to its actors say it was removed on purpose, not a crash the pool might have had before.
        await TellPoolsAsync(new PoolObituary(address, slot.Process.Index, slot.Process.ProcessId, "was stopped by RemoveSubPoolAsync", [], DateTime.UtcNow));
        _main.Services.GetRequiredService<RecoverableActors>().Take(address);
    }

    /// <summary>Stops watching (no more restarts), then stops every sub pool gracefully, killing any that outlast the stop timeout.</summary>
    public async Task StopAsync()
    {
        await _closing.CancelAsync();
        List<Slot> slots;
        lock (_slots) slots = [.. _slots];
        await Task.WhenAll(slots.Select(s => s.Watcher));
        await Task.WhenAll(slots.Select(s => s.Process.StopAsync(_options.StopTimeout)));
    }

    private void Watch(Slot slot)
    {
        lock (_slots) _slots.Add(slot);
        slot.Watcher = WatchAsync(slot);
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
                await RemoveFromClusterAsync(slot.Process);
                if (_options.AutoRecover == SubPoolRecovery.None) return;
                await RecoverAsync(slot, stopping.Token);
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

    private async Task RemoveFromClusterAsync(SubPoolProcess subPool)
    {
        await DeclareDeadAsync(subPool.Address);
        var obituary = subPool.Obituary;
        if (obituary is not null && _main.Services.GetRequiredService<PoolObituaries>().TakeKilling(subPool.Address) is { } killed)
        {
            obituary = obituary with { Ending = killed };
        }

        LogSubPoolDown(_logger, subPool.Index, subPool.Address, obituary?.Describe());
        if (subPool.ExitCode is { } exitCode) _main.Services.GetRequiredService<ActorMetrics>().RecordSubPoolDeath(subPool.Address, exitCode);
        if (obituary is not null) await TellPoolsAsync(obituary);
        Notify(_options.OnSubPoolDown, subPool.Address);
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

    private async Task RecoverAsync(Slot slot, CancellationToken cancellationToken)
    {
        var address = slot.Process.Address;
        var restarted = await StartInTimeAsync(slot.Start, slot.Process.Index, "restarted", cancellationToken);
        slot.Process = restarted;

        var pool = _main.Services.GetRequiredService<IGrainFactory>().GetGrain<IActorPoolGrain>(address);
        var specs = _main.Services.GetRequiredService<RecoverableActors>().Take(address);
        var recreated = 0;
        foreach (var spec in specs)
        {
            try
            {
                await pool.CreateActor(spec);
                recreated++;
            }
            catch (Exception error)
            {
                LogActorNotRecreated(_logger, error, spec.Uid, address);
            }
        }

        LogSubPoolRecovered(_logger, restarted.Index, address, restarted.ProcessId, recreated, specs.Count);
        Notify(_options.OnSubPoolRecovered, address);
    }

    private Task WaitUntilPlaceableAsync(SubPoolProcess subPool, CancellationToken cancellationToken) =>
        _main.Services.GetRequiredService<PoolDirectory>().WaitForPoolsAsync(
            pools => pools.Any(p => p.Address == subPool.Address && p.ProcessId == subPool.ProcessId), cancellationToken);

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

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Sub pool {Index} at {Address} is back as process {ProcessId}; {Recreated} of {Actors} actors re-created")]
    private static partial void LogSubPoolRecovered(ILogger logger, int index, string address, int processId, int recreated, int actors);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Error, Message = "Actor {Uid} could not be re-created in recovered pool {Address}")]
    private static partial void LogActorNotRecreated(ILogger logger, Exception error, string uid, string address);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Error, Message = "A sub pool callback for {Address} failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception error, string address);

    [LoggerMessage(EventId = 4506, Level = LogLevel.Warning, Message = "Pool {Pool} could not be told how sub pool {Address} ended")]
    private static partial void LogObituaryNotDelivered(ILogger logger, Exception error, string address, string pool);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Error, Message = "Supervision of sub pool {Index} failed; it is no longer watched")]
    private static partial void LogSupervisionFailed(ILogger logger, Exception error, int index);
}
