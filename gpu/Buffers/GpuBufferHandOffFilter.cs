using Microsoft.Extensions.DependencyInjection;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// Applies <see cref="GpuBuffer{T}"/> ownership at call boundaries in a GPU pool. Incoming: claims the argument copies
/// the codec made for the call, frees them when it ends (arguments are borrowed), and marks a returned buffer to be
/// freed once it has been serialized for a caller elsewhere. (A copy no call claims is one a gateway forwards: the codec
/// frees it once written.) Outgoing: a buffer returned to a caller in this pool is the caller's (its actor's, see
/// <see cref="GpuBufferOwners"/>).
/// Only top-level arguments and results are handled.
/// </summary>
internal sealed class GpuBufferHandOffFilter(IServiceProvider services) : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    private GpuAccelerator? _gpu;

    // Resolved when first needed: the accelerator's services include the grain factory, whose calls go through this filter.
    private GpuAccelerator Gpu => _gpu ??= services.GetRequiredService<GpuAccelerator>();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var request = context.Request;
        List<IGpuBufferHandOff>? copies = null;
        for (var i = 0; i < request.GetArgumentCount(); i++)
        {
            if (request.GetArgument(i) is not IGpuBufferHandOff { IsTransferCopy: true } copy) continue;
            copy.Claimed = true;   // the call's, not a forward's
            (copies ??= []).Add(copy);
        }

        try
        {
            await context.Invoke();
        }
        finally
        {
            var result = context.Result as IGpuBufferHandOff;
            if (result is not null) result.ReleaseAfterSend = true;
            foreach (var copy in copies ?? [])
            {
                if (!ReferenceEquals(copy, result)) copy.Dispose();
            }
        }
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        await context.Invoke();
        if (context.Result is IGpuBufferHandOff result)
        {
            result.ReleaseAfterSend = false;
            result.IsTransferCopy = false;
            // The caller's now: an actor's (freed with it if it is destroyed first), or nobody's outside an actor.
            if (result.IsOwnedBy(Gpu)) Gpu.Owners.Own(Gpu.Owners.ActorOf(context.SourceContext), result);
        }
    }
}
