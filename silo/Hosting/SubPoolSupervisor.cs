using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo.Runtime;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Watches the sub pool processes of an <see cref="ActorPool"/> (Xoscar's sub pool monitor). A sub pool whose process
/// dies is removed from the cluster at once, instead of after Orleans' failure detection (several missed probes,
/// seconds), so that calls to its actors fail fast; with <see cref="ActorPoolOptions.AutoRecover"/> it is then
/// restarted with the same command line and address, and its actors are created again from their specs.
/// </summary>
internal sealed partial class SubPoolSupervisor
{
    private readonly EmbeddedActorPool _main;
    private readonly SubPoolProcess[] _current;
    private readonly IReadOnlyList<ProcessStartInfo> _starts;
    private readonly ActorPoolOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task[] _watchers;

    public SubPoolSupervisor(EmbeddedActorPool main, SubPoolProcess[] started, IReadOnlyList<ProcessStartInfo> starts, ActorPoolOptions options, ILogger logger)
    {
        _main = main;
        _current = started;
        _starts = starts;
        _options = options;
        _logger = logger;
        _watchers = Enumerable.Range(0, started.Length).Select(WatchAsync).ToArray();
    }

    /// <summary>The sub pools now, in index order.</summary>
    public IReadOnlyList<SubPoolProcess> Current
    {
        get
        {
            lock (_current) return [.. _current];
        }
    }

    /// <summary>Stops watching (no more restarts), then stops every sub pool gracefully, killing any that outlast the stop timeout.</summary>
    public async Task StopAsync()
    {
        await _closing.CancelAsync();
        await Task.WhenAll(_watchers);
        await Task.WhenAll(Current.Select(p => p.StopAsync(_options.StopTimeout)));
    }

    private async Task WatchAsync(int slot)
    {
        try
        {
            while (true)
            {
                var subPool = Current[slot];
                await subPool.Died.WaitAsync(_closing.Token);
                await RemoveAsync(subPool);
                if (!_options.AutoRecover) return;
                await RecoverAsync(slot, subPool.Address);
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // The pool is stopping.
        }
        catch (Exception error)
        {
            LogSupervisionFailed(_logger, error, slot + 1);
        }
    }

    private async Task RemoveAsync(SubPoolProcess subPool)
    {
        var membership = _main.Services.GetRequiredService<IClusterMembershipService>();
        var silo = membership.CurrentSnapshot.Members.Values
            .FirstOrDefault(m => m.Status == SiloStatus.Active && PoolAddresses.Of(m.SiloAddress) == subPool.Address)?.SiloAddress;
        if (silo is not null) await membership.TryKill(silo);
        LogSubPoolDown(_logger, subPool.Index, subPool.Address);
        Notify(_options.OnSubPoolDown, subPool.Address);
    }

    private async Task RecoverAsync(int slot, string address)
    {
        var restarted = await SubPoolProcess.StartAsync(_starts[slot], slot + 1, _logger, _closing.Token);
        lock (_current) _current[slot] = restarted;
        await _main.Services.GetRequiredService<PoolDirectory>().WaitForPoolsAsync(
            pools => pools.Any(p => p.Address == address && p.ProcessId == restarted.ProcessId), _closing.Token);

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

        LogSubPoolRecovered(_logger, slot + 1, address, restarted.ProcessId, recreated, specs.Count);
        Notify(_options.OnSubPoolRecovered, address);
    }

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

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Sub pool {Index} at {Address} is down and removed from the cluster")]
    private static partial void LogSubPoolDown(ILogger logger, int index, string address);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Sub pool {Index} at {Address} is back as process {ProcessId}; {Recreated} of {Actors} actors re-created")]
    private static partial void LogSubPoolRecovered(ILogger logger, int index, string address, int processId, int recreated, int actors);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Error, Message = "Actor {Uid} could not be re-created in recovered pool {Address}")]
    private static partial void LogActorNotRecreated(ILogger logger, Exception error, string uid, string address);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Error, Message = "A sub pool callback for {Address} failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception error, string address);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Error, Message = "Supervision of sub pool {Index} failed; it is no longer watched")]
    private static partial void LogSupervisionFailed(ILogger logger, Exception error, int index);
}
