namespace Xoscar.Orleans;

/// <summary>
/// Marker for an actor's typed interface. Declare the actor's methods on an interface that extends
/// <see cref="IActor"/>; a reference to the actor implements that interface, and calling a method on it is a
/// <c>send</c> (the call completes with the method's result).
/// </summary>
/// <remarks>
/// Methods return <see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or
/// <see cref="ValueTask{TResult}"/>; the implementation may still run synchronously.
/// An actor is identified by its pool address and its uid (see <see cref="ActorId"/>).
/// </remarks>
public interface IActor : IGrainWithStringKey
{
}
