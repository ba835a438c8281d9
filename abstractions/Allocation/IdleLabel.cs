namespace Xoscar.Orleans;

/// <summary>
/// The first pool (by index) labelled <paramref name="Label"/> that holds no live actor created with an equal
/// <see cref="IdleLabel"/> (same label and <paramref name="Mark"/>): one such actor per pool, e.g. one worker per GPU.
/// Destroying that actor frees its pool for the next one. With every labelled pool taken, creation fails with
/// <see cref="NoIdleSlotException"/>.
/// </summary>
/// <param name="Label">The pool label, as given in <c>ActorPoolOptions.Labels</c>.</param>
/// <param name="Mark">What kind of slot the actor takes (e.g. its role); actors with different marks do not compete.</param>
[GenerateSerializer, Alias("xoscar.IdleLabel")]
public sealed record IdleLabel([property: Id(0)] string Label, [property: Id(1)] string Mark) : AllocationStrategy;
