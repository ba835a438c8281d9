using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

// [ScaleOut]: the actor's activation spreads its calls over extra activations of its class in its pool.
public abstract partial class ActorBase
{
    private static readonly ConcurrentDictionary<Type, int> WorkersByClass = new();

    private int? _workers;
    private int _nextWorker;
    private IActorControl?[]? _workerControls;   // the activations used so far, by worker index

    /// <summary>How many activations this actor runs on: 1 unless its class is <see cref="ScaleOutAttribute"/> and this is its first activation.</summary>
    private int Workers => _workers ??= ActorId.IsWorkerGrainKey(this.GetPrimaryKeyString()) ? 1 : WorkersOf(GetType());

    /// <summary>The activations a class may run on, checked once per class.</summary>
    /// <exception cref="InvalidOperationException">A stateful actor class is marked <see cref="ScaleOutAttribute"/>.</exception>
    internal static int WorkersOf(Type actorClass) => WorkersByClass.GetOrAdd(actorClass, static type =>
    {
        if (type.GetCustomAttribute<ScaleOutAttribute>() is not { } scaleOut) return 1;
        if (!typeof(StatelessActor).IsAssignableFrom(type))
        {
            throw new InvalidOperationException($"{type.Name} is [ScaleOut] but not a StatelessActor: a stateful actor's calls must share one activation.");
        }

        return scaleOut.MaxWorkers;
    });

    // Round robin over the activations, this one included; the others are activated on first use.
    private Task InvokeScaledOut(IIncomingGrainCallContext context, BatchMethod? fallback)
    {
        var worker = _nextWorker;
        _nextWorker = (_nextWorker + 1) % Workers;
        if (worker == 0) return CompleteAsync(context, context.Invoke(), fallback);
        return ForwardAsync(context, worker);
    }

    private async Task ForwardAsync(IIncomingGrainCallContext context, int worker)
    {
        try
        {
            // Same pool, so the request passes by reference; Orleans disposes it after this call returns.
            context.Result = await WorkerControl(worker).RunForwarded(new Immutable<IInvokable>(context.Request));
        }
        catch (Exception error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ForCaller(error));
        }
    }

    Task<object?> IActorControl.RunForwarded(Immutable<IInvokable> call)
    {
        ThrowIfNotExtraActivation(nameof(IActorControl.RunForwarded));
        ThrowIfDestroyed();
        return RunCapturedAsync(ActorRequests.Check(call.Value, this, nameof(call)));
    }

    Task IActorControl.Retire()
    {
        ThrowIfNotExtraActivation(nameof(IActorControl.Retire));
        _destroyed = true;
        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }

    // Forwarded calls run past the lock and a retired activation is gone for good: only an actor's extra activations
    // take either, and only from the actor itself.
    private void ThrowIfNotExtraActivation(string request)
    {
        if (!ActorId.IsWorkerGrainKey(this.GetPrimaryKeyString()))
        {
            throw new ArgumentException($"{request} is for the extra activations of a [ScaleOut] actor; actor '{Uid}' in pool {Address} refuses it.");
        }
    }

    // Called when the actor is removed: its extra activations go with it.
    private void RetireWorkers()
    {
        foreach (var used in _workerControls ?? [])
        {
            if (used is not null) _ = used.Retire();
        }
    }

    // References are kept: making one resolves the interface's type by reflection, too slow for every forwarded call.
    private IActorControl WorkerControl(int worker) =>
        (_workerControls ??= new IActorControl[Workers])[worker] ??=
            ServiceProvider.GetRequiredService<ActorReferences>().Control(GrainId.Create(GrainContext.GrainId.Type, Id.ToWorkerGrainKey(worker)));
}
