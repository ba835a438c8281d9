namespace Xoscar.Orleans;

/// <summary>
/// A stateful actor: its calls run one at a time, in the order they arrived (Xoscar's <c>Actor</c>).
/// A method marked <see cref="NoLockAttribute"/> on the interface skips the lock.
/// </summary>
public abstract class Actor : ActorBase
{
    private protected override bool IsStateful => true;
}
