namespace Xoscar.Orleans;

/// <summary>
/// A value of a type that Orleans has no serializer for was to travel in a call — an argument, a result, or something
/// they hold — and was refused before anything was sent. Give the type one: mark it <c>[GenerateSerializer]</c> with
/// <c>[Id(n)]</c> on each field or property that travels, or register a surrogate (<c>[RegisterConverter]</c>) or a
/// codec for a type that is not yours.
/// </summary>
[GenerateSerializer, Alias("xoscar.NotSerializableException")]
public sealed class NotSerializableException : XoscarException
{
    /// <summary>Creates the error for <paramref name="type"/>.</summary>
    public NotSerializableException(Type type)
        : base($"Type {type.FullName ?? type.Name} cannot travel between actors: Orleans has no serializer for it. " +
               "Mark it [GenerateSerializer] with [Id(n)] on each field or property that travels, or register a surrogate ([RegisterConverter]) or a codec for it.")
        => TypeName = type.FullName ?? type.Name;

    /// <summary>The full name of the type without a serializer.</summary>
    [Id(0)] public string TypeName { get; private set; }
}
