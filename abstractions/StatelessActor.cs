namespace Xoscar.Orleans;

/// <summary>
/// A stateless actor: its calls run concurrently, interleaving at their awaits (Xoscar's <c>StatelessActor</c>).
/// All calls still run on the actor's one activation, so its fields need no locks.
/// </summary>
public abstract class StatelessActor : ActorBase
{
    private protected override bool IsStateful => false;
}
