namespace Xoscar.Orleans;

/// <summary>Options of the Xoscar runtime in a pool and of the façade.</summary>
public sealed class XoscarOptions
{
    /// <summary>
    /// Calls a stateful actor may hold queued for its lock before a <c>tell</c> to it waits to be accepted.
    /// This is the back-pressure that keeps a fast caller from burying an actor under an unbounded queue.
    /// </summary>
    public int MaxQueuedCallsPerActor { get; set; } = 10_000;

    /// <summary>
    /// Tells one caller process may have sent and not yet had accepted, across all actors. Further tells wait
    /// (in the caller) until earlier ones are accepted.
    /// </summary>
    public int MaxPendingTellsPerCaller { get; set; } = 1_024;
}
