using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans;

/// <summary>
/// A call to an actor built but not sent (Xoscar's <c>ref.m.delay(...)</c>), to be sent with others in one
/// batch by <see cref="ActorBatchExtensions.Batch{TRef,TResult}(TRef, IEnumerable{DelayedCall{TRef,TResult}})"/>.
/// </summary>
/// <typeparam name="TRef">The actor interface the call is on.</typeparam>
/// <typeparam name="TResult">The method's result type (<see cref="object"/> for methods without a result).</typeparam>
public sealed class DelayedCall<TRef, TResult> where TRef : IActor
{
    internal DelayedCall(CapturedCall call) => Call = call;

    internal CapturedCall Call { get; }

    /// <summary>The name of the method called.</summary>
    public string Method => Call.Request.GetMethodName();

    /// <summary>The actor called.</summary>
    public ActorId Actor => ActorId.FromGrainKey(Call.Target.GrainId.Key.ToString()!);

    internal IInvokable Request => Call.Request;

    internal GrainReference Target => Call.Target;
}
