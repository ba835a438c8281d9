namespace Xoscar.Orleans.Silo;

/// <summary>What an <see cref="ActorPool"/> does when a sub pool's process dies (Xoscar's <c>auto_recover</c>).</summary>
public enum SubPoolRecovery
{
    /// <summary>Nothing: the sub pool stays down and calls to its actors raise <see cref="ServerClosedException"/> (<c>auto_recover=False</c>).</summary>
    None,

    /// <summary>Restart the process at the same address, empty: its actors are gone (<c>auto_recover='process'</c>).</summary>
    Process,

    /// <summary>
    /// Restart the process at the same address and create its actors again — same uid and constructor arguments,
    /// fresh state, post-create hook run again (<c>auto_recover='actor'</c>). Every creation and destruction in a sub
    /// pool is then also reported to the main pool (one more call each).
    /// </summary>
    Actors,
}
