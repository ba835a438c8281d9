namespace Xoscar.Orleans;

/// <summary>
/// A writable stream registered in a pool (<see cref="IActorContext.FileObjectRef"/>), the target of
/// <see cref="IActorContext.CopyToAsync(IReadOnlyList{Stream}, IReadOnlyList{FileObjectRef}, int?, CancellationToken)"/>
/// (Xoscar's <c>FileObjectRef</c>): what is copied to it is written at its position, in order.
/// </summary>
/// <param name="Address">The pool that holds the stream.</param>
/// <param name="Id">The stream's id in that pool.</param>
[GenerateSerializer, Immutable, Alias("xoscar.FileObjectRef")]
public sealed record FileObjectRef([property: Id(0)] string Address, [property: Id(1)] Guid Id)
{
    /// <inheritdoc />
    public override string ToString() => $"file object {Id:N} in pool {Address}";
}
