namespace Xoscar.Orleans;

/// <summary>
/// On a <see cref="StatelessActor"/> class: the actor may scale out to up to <see cref="MaxWorkers"/> activations
/// in its pool, and its calls are spread over them in turn (the opt-in counterpart of Orleans' stateless workers).
/// </summary>
/// <remarks>
/// <para>Use it for CPU-bound calls that keep no state between them: each activation runs on its own scheduler,
/// so up to <see cref="MaxWorkers"/> calls compute in parallel on the pool's cores. Every activation is built from
/// the same constructor arguments, in the actor's pool; the actor keeps one identity, and its lifecycle hooks run
/// once. Destroying it removes every activation.</para>
/// <para>Do not use it when calls must see each other's effects (fields differ per activation), for I/O-bound calls
/// (one stateless activation already overlaps them), or on stateful actors (refused at creation). Unlike Orleans'
/// <c>[StatelessWorker]</c>, activations never leave the actor's pool, so GPU- and core-bound pools keep their meaning.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ScaleOutAttribute : Attribute
{
    /// <summary>Allows up to <paramref name="maxWorkers"/> activations (at least 1).</summary>
    public ScaleOutAttribute(int maxWorkers) =>
        MaxWorkers = maxWorkers >= 1 ? maxWorkers : throw new ArgumentOutOfRangeException(nameof(maxWorkers), maxWorkers, "At least one worker.");

    /// <summary>The most activations the actor runs on, the first one included.</summary>
    public int MaxWorkers { get; }
}
