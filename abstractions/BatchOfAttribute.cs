namespace Xoscar.Orleans;

/// <summary>
/// On an actor class's method: the batch implementation of the <see cref="ExtensibleAttribute"/> method named
/// <see cref="Method"/> (Xoscar's <c>@m.batch</c>). It receives every call's arguments at once and returns one
/// result per call, in order.
/// </summary>
/// <remarks>
/// Its one parameter is an <see cref="IReadOnlyList{T}"/> of the single method's argument — or, when the single
/// method takes several, of a value tuple of them (a trailing <see cref="CancellationToken"/> is left out).
/// It returns <see cref="Task{TResult}"/>, <see cref="ValueTask{TResult}"/> or a plain value whose type is an
/// <see cref="IEnumerable{T}"/> of the single method's result; for a method without a result it returns
/// <see cref="Task"/>, <see cref="ValueTask"/> or nothing. When the single method throws
/// <see cref="NotImplementedException"/>, a plain call falls back to the batch implementation with a batch of one.
/// </remarks>
/// <example>
/// <code>
/// public interface IStore : IActor { [Extensible] Task&lt;int&gt; Put(string key, int value); }
/// public sealed class Store : Actor, IStore
/// {
///     public Task&lt;int&gt; Put(string key, int value) => throw new NotImplementedException();
///     [BatchOf(nameof(Put))]
///     public Task&lt;int[]&gt; PutMany(IReadOnlyList&lt;(string Key, int Value)&gt; calls) => ...;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class BatchOfAttribute(string method) : Attribute
{
    /// <summary>The name of the single-call method this implements in batches.</summary>
    public string Method { get; } = method;
}
