namespace Xoscar.Orleans.Silo;

/// <summary>
/// Holds a pool's silo back just before it joins its cluster until <paramref name="wait"/> completes: everything
/// before (runtime, services, the JIT work that is most of a start) runs at once, only the join waits its turn.
/// </summary>
/// <remarks>
/// Orleans' membership table takes one change at a time; a silo whose join loses that race backs off for seconds.
/// A main pool that starts several sub pools therefore lets them join one after another.
/// </remarks>
/// <remarks>
/// A standby (<paramref name="standby"/>) waits earlier, before the silo listens on its ports: it is the spare of a sub
/// pool that still runs at that address, and takes it over when that pool's process dies.
/// </remarks>
internal sealed class JoinCue(Func<CancellationToken, Task> wait, bool standby = false) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        // The membership agent writes the joining silo into the table at AfterRuntimeGrainServices; the connection
        // listeners bind at RuntimeInitialize - 1.
        lifecycle.Subscribe(nameof(JoinCue), standby ? ServiceLifecycleStage.RuntimeInitialize - 2 : ServiceLifecycleStage.AfterRuntimeGrainServices - 1, wait);
}
