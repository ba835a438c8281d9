namespace Xoscar.Orleans.Runtime;

/// <summary>Where a pool's runtime drops its events: on their way to the pool events stream, never waiting for it.</summary>
internal interface IPoolEventSink
{
    /// <summary>Queues <paramref name="poolEvent"/> for the stream; drops the oldest waiting event when too many wait.</summary>
    void Publish(PoolEvent poolEvent);
}
