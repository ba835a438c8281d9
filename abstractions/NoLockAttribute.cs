namespace Xoscar.Orleans;

/// <summary>
/// On a method of an actor interface: the method does not take the actor's lock (Xoscar's <c>@no_lock</c>).
/// Calls to it run as soon as they arrive, interleaved with the actor's other calls at their awaits.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class NoLockAttribute : Attribute
{
}
