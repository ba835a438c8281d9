namespace Xoscar.Orleans.Gpu;

/// <summary>
/// Applies <see cref="GpuBuffer{T}"/> ownership at call boundaries in a GPU pool. Incoming: when the call ends, frees
/// the argument copies the codec made for it (arguments are borrowed), and marks a returned buffer to be freed once it
/// has been serialized for a caller elsewhere. Outgoing: a buffer returned to a caller in this pool is the caller's.
/// Only top-level arguments and results are handled.
/// </summary>
internal sealed class GpuBufferHandOffFilter : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        finally
        {
            var result = context.Result as IGpuBufferHandOff;
            if (result is not null) result.ReleaseAfterSend = true;
            var request = context.Request;
            for (var i = 0; i < request.GetArgumentCount(); i++)
            {
                if (request.GetArgument(i) is IGpuBufferHandOff { IsTransferCopy: true } copy && !ReferenceEquals(copy, result)) copy.Dispose();
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
        }
    }
}
