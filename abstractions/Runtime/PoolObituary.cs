using System.Globalization;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// How a sub pool's process ended without being asked to: told by its main pool to every pool of the cluster, so that
/// a call to one of its actors says why the pool is gone (Xoscar's bare "server closed" is its users' first complaint).
/// </summary>
/// <param name="Address">The pool's address.</param>
/// <param name="Index">Its index in its actor pool.</param>
/// <param name="ProcessId">The process that ended.</param>
/// <param name="Ending">How it ended, in words: the exit code or signal and what usually causes it.</param>
/// <param name="LastLines">The last lines it printed (not stack frames), oldest first.</param>
/// <param name="EndedUtc">When its main pool saw it end.</param>
/// <param name="Recovering">Whether its main pool is restarting it (<c>ActorPoolOptions.AutoRecover</c>): calls to it wait.</param>
[GenerateSerializer, Immutable, Alias("xoscar.PoolObituary")]
internal sealed record PoolObituary(
    [property: Id(0)] string Address,
    [property: Id(1)] int Index,
    [property: Id(2)] int ProcessId,
    [property: Id(3)] string Ending,
    [property: Id(4)] string[] LastLines,
    [property: Id(5)] DateTime EndedUtc,
    [property: Id(6)] bool Recovering = false)
{
    /// <summary>One sentence for an error message: which process, how and when it ended, and what it said last.</summary>
    public string Describe()
    {
        var when = EndedUtc.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var said = LastLines.Length == 0 ? "" : $"; its last lines: {string.Join(" | ", LastLines)}";
        return $"Sub pool {Index} there (pid {ProcessId}) {Ending} at {when} UTC{said}.";
    }
}
