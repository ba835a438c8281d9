namespace Xoscar.Orleans;

/// <summary>
/// A buffer registered in a pool (<see cref="IActorContext.BufferRef"/>), the target of
/// <see cref="IActorContext.CopyToAsync(IReadOnlyList{ReadOnlyMemory{byte}}, IReadOnlyList{BufferRef}, int?, CancellationToken)"/>
/// (Xoscar's <c>BufferRef</c>). Pass it to other actors like any value.
/// </summary>
/// <param name="Address">The pool that holds the buffer.</param>
/// <param name="Id">The buffer's id in that pool.</param>
/// <param name="Length">The buffer's length in bytes.</param>
[GenerateSerializer, Immutable, Alias("xoscar.BufferRef")]
public sealed record BufferRef([property: Id(0)] string Address, [property: Id(1)] Guid Id, [property: Id(2)] long Length)
{
    /// <inheritdoc />
    public override string ToString() => $"buffer {Id:N} ({Length} bytes) in pool {Address}";
}
