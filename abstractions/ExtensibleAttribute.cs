namespace Xoscar.Orleans;

/// <summary>
/// On a method of an actor interface: the method can be called in batches (Xoscar's <c>@extensible</c>).
/// Callers build delayed calls with <c>r.Delay(a => a.M(...))</c> and send many of them in one message with
/// <c>r.Batch(...)</c>. The actor may give the method a batch implementation (<see cref="BatchOfAttribute"/>);
/// without one, the calls of a batch run one by one inside that single message.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ExtensibleAttribute : Attribute
{
}
