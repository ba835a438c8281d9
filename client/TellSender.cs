using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// Sends captured calls to an actor's control interface: tells and batches.
/// </summary>
/// <remarks>
/// Tells to one actor travel one message at a time, in the order they were made: while one message is on its way,
/// later tells wait here, in the caller, and go together in the next message (at most
/// <see cref="XoscarOptions.MaxPendingTellsPerCaller"/> in one). So a burst of tells costs a few messages, a tell is
/// never overtaken by a later one, and a caller that floods an actor fills its own memory, not the actor's queue.
/// </remarks>
internal sealed class TellSender(IOptions<XoscarOptions> options, ActorReferences references)
{
    private readonly Dictionary<GrainId, Outbox> _outboxes = [];
    private readonly int _perMessage = options.Value.MaxPendingTellsPerCaller;

    /// <summary>How many actors have tells waiting or on their way from this process.</summary>
    public int Outboxes
    {
        get
        {
            lock (_outboxes) return _outboxes.Count;
        }
    }

    /// <summary>Completes once the actor's pool has queued the call.</summary>
    /// <remarks>Where traced, the running span goes with the call, so that the work it starts later is that span's child.</remarks>
    public ValueTask TellAsync(GrainReference target, IInvokable request)
    {
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = ActorTracing.Source.HasListeners() ? ActorTracing.CurrentParent() : null;
        bool start;
        Outbox outbox;
        lock (_outboxes)
        {
            if (!_outboxes.TryGetValue(target.GrainId, out outbox!)) _outboxes[target.GrainId] = outbox = new Outbox(target.GrainId, Control(target));
            outbox.Waiting.Add((request, told, parent));
            start = !outbox.Sending;
            outbox.Sending = true;
        }

        // The loop runs on the thread pool, not on the scheduler of whichever actor told first, and without that
        // caller's async context: it serves every caller in this process and must not stop when that actor is destroyed.
        if (start)
        {
            using (ExecutionContext.SuppressFlow()) _ = Task.Run(() => SendAsync(outbox));
        }
        return new ValueTask(told.Task);
    }

    /// <summary>Completes once the actor's pool has queued the batch.</summary>
    public ValueTask TellBatchAsync(GrainReference target, BatchPayload calls) => Control(target).TellBatch(calls);

    /// <summary>Runs the batch at the actor and returns one result per call.</summary>
    public async Task<Array> BatchAsync(GrainReference target, BatchPayload calls) => (await Control(target).Batch(calls)).Values;

    // Sends what waits for this actor, one message at a time, until nothing waits. A message holds tells made under one
    // span (or none), whose context it carries: the flow here has no context of its own.
    private async Task SendAsync(Outbox outbox)
    {
        var traced = false;
        while (true)
        {
            List<(IInvokable Request, TaskCompletionSource Told, string? Parent)> sending;
            lock (_outboxes)
            {
                if (outbox.Waiting.Count == 0)
                {
                    outbox.Sending = false;
                    _outboxes.Remove(outbox.Target);
                    return;
                }

                var parent = outbox.Waiting[0].Parent;
                var most = Math.Min(outbox.Waiting.Count, _perMessage);
                var count = 1;
                while (count < most && outbox.Waiting[count].Parent == parent) count++;
                sending = outbox.Waiting.GetRange(0, count);
                outbox.Waiting.RemoveRange(0, count);
            }

            if (sending[0].Parent is { } traceParent)
            {
                RequestContext.Set(ActorTracing.TraceParentKey, traceParent);
                traced = true;
            }
            else if (traced)
            {
                RequestContext.Remove(ActorTracing.TraceParentKey);
                traced = false;
            }

            try
            {
                await outbox.Control.Tell(new Immutable<IInvokable[]>(sending.Select(s => s.Request).ToArray())).ConfigureAwait(false);
                foreach (var (_, told, _) in sending) told.TrySetResult();
            }
            catch (Exception error)
            {
                foreach (var (_, told, _) in sending) told.TrySetException(error);
            }
        }
    }

    private IActorControl Control(GrainReference target) => references.Control(target.GrainId);

    /// <summary>The tells waiting for one actor, and whether a message to it is on its way.</summary>
    private sealed class Outbox(GrainId target, IActorControl control)
    {
        public GrainId Target { get; } = target;

        public IActorControl Control { get; } = control;

        public List<(IInvokable Request, TaskCompletionSource Told, string? Parent)> Waiting { get; } = [];

        public bool Sending { get; set; }
    }
}
