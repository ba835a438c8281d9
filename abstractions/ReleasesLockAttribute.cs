namespace Xoscar.Orleans;

/// <summary>
/// On a method of a stateful actor's interface: the method runs under the actor's lock but may hand it back
/// while it awaits other work, with <see cref="ActorBase.ReleaseLockWhile{T}(Task{T})"/> (the C# counterpart of
/// Xoscar's yield-based <c>promise_chain</c>). Other calls to the actor run meanwhile; the method takes the lock
/// again, in turn, before it continues.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ReleasesLockAttribute : Attribute
{
}
