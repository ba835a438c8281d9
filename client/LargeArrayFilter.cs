using Orleans.Serialization.Invocation;
using Microsoft.Extensions.Options;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.SharedMemory;

namespace Xoscar.Orleans;

/// <summary>
/// Sends large <c>byte[]</c>, <c>float[]</c>, <c>double[]</c>, <c>Memory&lt;byte&gt;</c> and <c>ReadOnlyMemory&lt;byte&gt;</c>
/// arguments and results of calls between pools of one machine through shared memory, as a <see cref="Blob"/> goes,
/// without the caller or the actor naming a <see cref="Blob"/>.
/// </summary>
/// <remarks>
/// <para>Why filters and not a codec: Orleans' generated serializers write a <c>byte[]</c> field with their built-in codec
/// directly, and a competing <c>IFieldCodec&lt;byte[]&gt;</c> is not reliably chosen. So the caller's outgoing filter,
/// for a call to an actor in another pool (this process has <see cref="XoscarOptions.SharedMemory"/>), writes each
/// array argument of <see cref="XoscarOptions.SharedMemoryThreshold"/> bytes or more into one of its segments and puts
/// a small marker array of the same type in its place (<see cref="ArrayMarker"/>); the callee's incoming filter
/// reads the bytes back into a new array before the actor sees the call. The call's flags (in its request context:
/// which arguments carry markers, whether the caller takes a marker result, and a nonce each marker repeats) say
/// where markers are, so a user's array that looks like one is never taken for it. Results go the same way back.</para>
/// <para>A call that fails before the callee read its arguments frees their segments at once (their tickets say whether
/// they were read). The caller's arguments are put back once the call ends, so that a retry (<see cref="CallFailureFilter"/>,
/// registered before this filter, re-invokes it) writes them afresh. Within a pool nothing changes: Orleans copies a
/// mutable array argument for a call within one silo, as it did before.</para>
/// <para>Only top-level arguments and results of calls are handled: not tells, batches, or arrays inside other types.</para>
/// </remarks>
internal sealed class LargeArrayFilter(
    SharedMemoryChannel channel, PoolAddressedGrains poolAddressed, IDefaultPoolAddress local, IOptions<XoscarOptions> options)
    : IOutgoingGrainCallFilter, IIncomingGrainCallFilter
{
    /// <summary>The request context key of a call's flags (a long: markers' argument bits, <see cref="TakesResult"/>, the nonce above).</summary>
    internal const string FlagsKey = "xoscar.arrays";

    private const long TakesResult = 1L << 31;

    private readonly bool _enabled = options.Value.SharedMemory;
    private readonly int _threshold = options.Value.SharedMemoryThreshold;
    private readonly byte[]? _thisPool = local is { IsThisPool: true, Address: { } address } ? System.Text.Encoding.UTF8.GetBytes(address) : null;

    Task IOutgoingGrainCallFilter.Invoke(IOutgoingGrainCallContext context)
    {
        if (!_enabled || ArrayPlan.Of(context.Request) is not { } plan || InThisPool(context.TargetId) || !poolAddressed.Contains(context.TargetId.Type))
        {
            return context.Invoke();
        }

        return plan.Result != ArrayKind.None || AnyLarge(context.Request, plan) ? SendAsync(context, plan) : context.Invoke();
    }

    // Whether a call that takes arrays (and returns none) carries one large enough to go through shared memory: a call
    // with small arrays only goes on as it is, without the cost of an async step.
    private bool AnyLarge(IInvokable request, ArrayPlan plan)
    {
        foreach (var index in plan.Arguments)
        {
            var value = request.GetArgument(index);
            if (ArrayMarker.BytesOf(value, ArrayMarker.KindOf(value)).Length >= _threshold) return true;
        }

        return false;
    }

    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        if (ArrayPlan.Of(context.Request) is not { } plan || RequestContext.Get(FlagsKey) is not long flags) return context.Invoke();
        return ReceiveAsync(context, plan, flags);
    }

    private async Task SendAsync(IOutgoingGrainCallContext context, ArrayPlan plan)
    {
        var request = context.Request;
        var nonce = Random.Shared.Next() | 1;
        long flags = plan.Result == ArrayKind.None ? 0 : TakesResult;
        (int Index, object? Value, SharedMemoryBlob Blob)[]? sent = null;
        var count = 0;
        try
        {
            for (var i = 0; i < plan.Arguments.Length; i++)
            {
                var index = plan.Arguments[i];
                var value = request.GetArgument(index);
                var kind = ArrayMarker.KindOf(value);
                var bytes = ArrayMarker.BytesOf(value, kind);
                if (bytes.Length < _threshold || channel.TryWriteTicketed(bytes) is not { } blob) continue;
                sent ??= new (int, object?, SharedMemoryBlob)[plan.Arguments.Length];
                sent[count++] = (index, value, blob);
                request.SetArgument(index, ArrayMarker.Make(blob, nonce, kind));
                flags |= 1L << index;
            }

            if (flags == 0)
            {
                await context.Invoke();
                return;
            }

            RequestContext.Set(FlagsKey, flags | (long)nonce << 32);   // undone when this method returns: the caller's own flow never carries it
            await context.Invoke();
        }
        finally
        {
            // The arguments as the caller gave them (a retry writes them afresh), and the segments of those never read free now.
            for (var i = 0; i < count; i++)
            {
                request.SetArgument(sent![i].Index, sent[i].Value!);
                channel.Release(sent[i].Blob);
            }
        }

        if (plan.Result != ArrayKind.None && ArrayMarker.KindOf(context.Result) is var resultKind and not ArrayKind.None
            && ArrayMarker.TryParse(context.Result, resultKind, nonce, out var result))
        {
            context.Result = ArrayMarker.Read(channel, result, resultKind);
        }
    }

    private async Task ReceiveAsync(IIncomingGrainCallContext context, ArrayPlan plan, long flags)
    {
        RequestContext.Remove(FlagsKey);   // not for the calls this one makes, within this pool or beyond
        var nonce = (int)(flags >> 32);
        var request = context.Request;
        for (var i = 0; i < plan.Arguments.Length; i++)
        {
            var index = plan.Arguments[i];
            if ((flags & 1L << index) == 0) continue;
            var marker = request.GetArgument(index);
            var kind = ArrayMarker.KindOf(marker);
            if (!ArrayMarker.TryParse(marker, kind, nonce, out var blob))
            {
                throw new InvalidOperationException($"Argument {index} of {request.GetMethodName()} was sent through shared memory, but what arrived does not say where.");
            }

            request.SetArgument(index, ArrayMarker.Read(channel, blob, kind));
        }

        await context.Invoke();
        if ((flags & TakesResult) == 0 || plan.Result == ArrayKind.None) return;
        var resultKind = ArrayMarker.KindOf(context.Result);
        var bytes = ArrayMarker.BytesOf(context.Result, resultKind);
        if (bytes.Length >= _threshold && _enabled && channel.TryWriteTicketed(bytes) is { } written)
        {
            // Read by the caller when the response arrives; a response that never does frees it after a minute, as a Blob's.
            context.Result = ArrayMarker.Make(written, nonce, resultKind);
        }
    }

    private bool InThisPool(GrainId target)
    {
        if (_thisPool is null) return false;
        var key = target.Key.AsSpan();
        return key.StartsWith(_thisPool) && (key.Length == _thisPool.Length || key[_thisPool.Length] == (byte)'/');
    }
}
