using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Metadata;
using Orleans.Providers;
using Orleans.Streams;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// A pool's events on their way to the pool events stream (<see cref="PoolEventStream"/>). Whoever publishes only queues
/// an event and goes on: one loop per pool takes what waits, in batches, and sends it on — a sub pool to its main pool,
/// the main pool (which hosts the stream) onto the stream, keeping the latest for the dashboard.
/// </summary>
/// <remarks>
/// Bounded everywhere: at most <see cref="Waiting"/> events wait in a pool (past it the oldest go, counted in the log),
/// the main pool keeps the last <see cref="Kept"/> (actors' creations and destructions among them), the stream carries
/// those only with <see cref="XoscarOptions.ActorEvents"/>, and keeps each event for <c>PoolEventHosting.CacheTime</c>. A
/// subscriber that falls behind holds back its own deliveries, which its main pool's stream agent retries; neither the
/// publishers nor a recovery ever wait for it.
/// </remarks>
internal sealed partial class PoolEventLog(IServiceProvider services, ILogger<PoolEventLog> logger) : IPoolEventSink, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>How many events may wait in a pool to be sent on.</summary>
    public const int Waiting = 4096;

    /// <summary>How many of the latest events the main pool keeps.</summary>
    public const int Kept = 200;

    private const int BatchSize = 256;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);

    /// <summary>How long a batch that cannot be published is retried before it is dropped.</summary>
    internal static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

    private readonly Channel<PoolEvent> _waiting = Channel.CreateBounded<PoolEvent>(
        new BoundedChannelOptions(Waiting) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Queue<PoolEvent> _latest = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _sending = Task.CompletedTask;
    private long _lost;
    private bool _queueKnown;
    private readonly bool _actorEvents = services.GetService<IOptions<XoscarOptions>>()?.Value.ActorEvents == true;

    /// <inheritdoc />
    public void Publish(PoolEvent poolEvent)
    {
        // A full queue drops its oldest event to take this one (DropOldest never refuses a write).
        if (_waiting.Reader.Count >= Waiting) Interlocked.Increment(ref _lost);
        _waiting.Writer.TryWrite(poolEvent);
    }

    /// <summary>The latest events the main pool published, newest last (none in a sub pool).</summary>
    public IReadOnlyList<PoolEvent> Latest(int count)
    {
        lock (_latest) return _latest.Skip(Math.Max(0, _latest.Count - count)).ToList();
    }

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(PoolEventLog), ServiceLifecycleStage.Active, Start, Stop);

    public void Dispose() => _stopping.Dispose();

    internal Task Start(CancellationToken cancellationToken)
    {
        if (services.GetService<LockWatch>() is { } watch) watch.Warned += OnSlowCall;
        _sending = Task.Run(SendAsync);
        return Task.CompletedTask;
    }

    // What waits when the pool stops is not sent: a stopping pool's peers may be gone.
    internal async Task Stop(CancellationToken cancellationToken)
    {
        if (services.GetService<LockWatch>() is { } watch) watch.Warned -= OnSlowCall;
        await _stopping.CancelAsync();
        await _sending;
    }

    private void OnSlowCall(SlowCallReport warning) => Publish(new PoolEvent(
        PoolEventKind.SlowCall, DateTime.UtcNow, warning.Actor.Address,
        $"{warning.Method} has {(warning.Locked ? "held the actor's lock" : "run without the lock")} for {warning.Seconds:0.0} s",
        Uid: warning.Actor.Uid, ActorClass: warning.ActorClass, Method: warning.Method));

    // A batch that fails is kept and sent again, in order, with growing pauses (a pool that joined another may publish
    // before the cluster lists the hub's stream grains; a main pool may be restarting). Only a batch that still fails
    // after RetryFor is dropped, counted in the log: waiting events stay bounded by the queue.
    private async Task SendAsync()
    {
        var batch = new List<PoolEvent>(BatchSize);
        try
        {
            while (await _waiting.Reader.WaitToReadAsync(_stopping.Token))
            {
                while (batch.Count < BatchSize && _waiting.Reader.TryRead(out var poolEvent)) batch.Add(poolEvent);
                await SendWithRetriesAsync(batch);
                batch.Clear();
                if (Interlocked.Exchange(ref _lost, 0) is var lost and > 0) LogLost(logger, lost);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The pool is stopping.
        }
    }

    private async Task SendWithRetriesAsync(List<PoolEvent> batch)
    {
        var pause = FirstPause;
        var failingSince = 0L;
        while (true)
        {
            try
            {
                await SendOnAsync(batch).WaitAsync(SendTimeout, _stopping.Token);
                if (failingSince != 0) LogSentAfterRetries(logger, batch.Count, Stopwatch.GetElapsedTime(failingSince).TotalSeconds);
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException || !_stopping.IsCancellationRequested)
            {
                if (failingSince == 0)
                {
                    failingSince = Stopwatch.GetTimestamp();
                    LogRetrying(logger, error, batch.Count);
                }
                else if (Stopwatch.GetElapsedTime(failingSince) >= RetryFor)
                {
                    LogNotSent(logger, error, batch.Count, RetryFor.TotalSeconds);   // counted here, not as overflow
                    return;
                }
            }

            await Task.Delay(pause, _stopping.Token);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    private Task SendOnAsync(List<PoolEvent> batch)
    {
        if (services.GetService<PoolIdentity>() is { Kind: PoolKind.Sub })
        {
            var main = services.GetRequiredService<PoolDirectory>().Main?.Address
                ?? throw new ServerClosedException("main", "This sub pool's main pool is not in the cluster, so its events cannot be published.");
            return services.GetRequiredService<ActorReferences>().Pool(main).PublishEvents([.. batch]);
        }

        lock (_latest)
        {
            foreach (var poolEvent in batch) _latest.Enqueue(poolEvent);
            while (_latest.Count > Kept) _latest.Dequeue();
        }

        // A plain AddXoscar silo has no stream: it keeps its latest events only.
        if (services.GetKeyedService<IStreamProvider>(PoolEventStream.ProviderName) is not { } provider) return Task.CompletedTask;
        if (!StreamQueueKnown())
        {
            // Asked now, Orleans would fail the batch and log an error of its own; the batch is retried instead.
            throw new InvalidOperationException("The cluster does not list the pool events stream's queue yet (this pool joined a moment ago).");
        }

        var streamed = _actorEvents ? batch : batch.Where(e => e.Kind is not (PoolEventKind.ActorCreated or PoolEventKind.ActorDestroyed)).ToList();
        return streamed.Count == 0 ? Task.CompletedTask : provider.GetStream<PoolEvent>(PoolEventStream.Id).OnNextBatchAsync([.. streamed]);
    }

    // Whether this pool's view of the cluster has the hub's memory queue grain: a pool that joined another learns of it
    // once the cluster manifest lists the hub's grains.
    private bool StreamQueueKnown()
    {
        if (_queueKnown) return true;
        if (services.GetService<GrainInterfaceTypeResolver>() is not { } interfaces || services.GetService<GrainInterfaceTypeToGrainTypeResolver>() is not { } grains)
        {
            return _queueKnown = true;   // not a silo: nothing to wait for
        }

        return _queueKnown = grains.TryGetGrainType(interfaces.GetGrainInterfaceType(typeof(IMemoryStreamQueueGrain)), out _);
    }

    [LoggerMessage(EventId = 5501, Level = LogLevel.Warning, Message = "{Count} pool events could not be published in {Seconds:0} s of retries; they are dropped")]
    private static partial void LogNotSent(ILogger logger, Exception error, int count, double seconds);

    [LoggerMessage(EventId = 5503, Level = LogLevel.Debug, Message = "{Count} pool events could not be published yet; retrying")]
    private static partial void LogRetrying(ILogger logger, Exception error, int count);

    [LoggerMessage(EventId = 5504, Level = LogLevel.Debug, Message = "{Count} pool events were published after {Seconds:0.00} s of retries")]
    private static partial void LogSentAfterRetries(ILogger logger, int count, double seconds);

    [LoggerMessage(EventId = 5502, Level = LogLevel.Warning, Message = "{Count} pool events were dropped: more waited to be published than a pool keeps")]
    private static partial void LogLost(ILogger logger, long count);
}
