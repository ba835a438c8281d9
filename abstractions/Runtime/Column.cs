using System.Collections.Concurrent;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The values of one parameter of a batch's calls, or a batch's results, one element per call. Between pools an
/// array of a primitive type travels as its bytes, one block copy, where Orleans would write a tagged field per
/// element (a batch of <c>Add(int)</c> moves faster than a plain call carrying an <c>int[]</c>); other arrays
/// travel element by element. Within a pool nothing is copied: a column is immutable.
/// </summary>
[Immutable]
internal sealed class Column(Array values)
{
    /// <summary>The values.</summary>
    public Array Values { get; } = values;
}

/// <summary>A <see cref="Column"/> on the wire: the element type and bytes of a primitive array, or the array itself.</summary>
[GenerateSerializer, Alias("xoscar.Column")]
internal struct ColumnSurrogate
{
    /// <summary>The element type of a primitive column sent as bytes; null otherwise.</summary>
    [Id(0)] public Type? Primitive;

    /// <summary>The bytes of a primitive column.</summary>
    [Id(1)] public byte[]? Bytes;

    /// <summary>A column of any other type.</summary>
    [Id(2)] public Array? Values;
}

/// <summary>Packs and unpacks <see cref="Column"/>s; bytes are in the sending machine's order, little-endian on every platform .NET runs pools on.</summary>
[RegisterConverter]
internal sealed class ColumnConverter : IConverter<Column, ColumnSurrogate>
{
    private static readonly ConcurrentDictionary<Type, int> ElementSizes = new();

    /// <inheritdoc />
    public Column ConvertFromSurrogate(in ColumnSurrogate surrogate)
    {
        if (surrogate.Primitive is not { } type) return new Column(surrogate.Values ?? throw new ArgumentException("A batch column arrived without values."));
        var bytes = surrogate.Bytes ?? [];
        var size = ElementSize(type);
        if (bytes.Length % size != 0) throw new ArgumentException($"A batch column of {type.Name} arrived with {bytes.Length} bytes, not a whole number of elements.");
        var values = Array.CreateInstance(type, bytes.Length / size);
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return new Column(values);
    }

    /// <inheritdoc />
    public ColumnSurrogate ConvertToSurrogate(in Column value)
    {
        var values = value.Values;
        if (values.GetType().GetElementType() is not { IsPrimitive: true } type || values.Rank != 1) return new ColumnSurrogate { Values = values };
        var bytes = new byte[Buffer.ByteLength(values)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new ColumnSurrogate { Primitive = type, Bytes = bytes };
    }

    private static int ElementSize(Type type) => ElementSizes.GetOrAdd(type, static type =>
        type.IsPrimitive ? Buffer.ByteLength(Array.CreateInstance(type, 1)) : throw new ArgumentException($"A batch column claims {type.FullName}, which is not a primitive type."));
}
