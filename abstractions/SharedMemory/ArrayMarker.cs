using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans.SharedMemory;

/// <summary>The array types a call's arguments and result may take through shared memory without a <see cref="Blob"/>.</summary>
internal enum ArrayKind : byte
{
    None,
    Bytes,
    Floats,
    Doubles,
    Memory,
    ReadOnlyMemory,
}

/// <summary>
/// Which arguments of a method, and whether its result, are large-array types (<c>byte[]</c>, <c>float[]</c>,
/// <c>double[]</c>, <c>Memory&lt;byte&gt;</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>): known per generated invokable type, so that
/// a call of any other method costs one look-up and nothing else.
/// </summary>
internal sealed class ArrayPlan
{
    private static readonly ConcurrentDictionary<Type, ArrayPlan?> Plans = new();

    private ArrayPlan(int[] arguments, ArrayKind result)
    {
        Arguments = arguments;
        Result = result;
    }

    /// <summary>The indexes of the array arguments (the first 31 arguments only: the call's flags have a bit each).</summary>
    public int[] Arguments { get; }

    /// <summary>
    /// The declared kind of the result, <see cref="ArrayKind.None"/> where it is not an array (declared kinds only say
    /// whether a call needs looking at; a value's own type decides how it travels: <see cref="ArrayMarker.KindOf"/>).
    /// </summary>
    public ArrayKind Result { get; }

    /// <summary>The plan of <paramref name="request"/>'s method; null where it takes and returns no array.</summary>
    public static ArrayPlan? Of(IInvokable request)
    {
        var type = request.GetType();
        return Plans.TryGetValue(type, out var plan) ? plan : Plans.GetOrAdd(type, Make(request));
    }

    private static ArrayPlan? Make(IInvokable request)
    {
        var method = request.GetMethod();
        if (method is null) return null;
        var parameters = method.GetParameters();
        var arguments = new List<int>();
        for (var i = 0; i < Math.Min(parameters.Length, 31); i++)
        {
            if (KindOf(parameters[i].ParameterType) != ArrayKind.None) arguments.Add(i);
        }

        var returns = method.ReturnType;
        var result = returns.IsGenericType && (returns.GetGenericTypeDefinition() == typeof(Task<>) || returns.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? KindOf(returns.GetGenericArguments()[0])
            : ArrayKind.None;
        return arguments.Count == 0 && result == ArrayKind.None ? null : new ArrayPlan([.. arguments], result);
    }

    private static ArrayKind KindOf(Type type) =>
        type == typeof(byte[]) ? ArrayKind.Bytes
        : type == typeof(float[]) ? ArrayKind.Floats
        : type == typeof(double[]) ? ArrayKind.Doubles
        : type == typeof(Memory<byte>) ? ArrayKind.Memory
        : type == typeof(ReadOnlyMemory<byte>) ? ArrayKind.ReadOnlyMemory
        : ArrayKind.None;
}

/// <summary>
/// A large array argument or result that went through shared memory, as it travels in the message: a small array of
/// the same type whose bytes say where the real ones wait. Layout: a 16-byte magic fixed for this build, the blob's
/// ticket, its length in bytes, the call's nonce, the segment path's length and the path (UTF-8), padded to 8 bytes
/// so that a <c>double[]</c> holds it. A marker is looked for only where the call's flags say one was put (see
/// <c>LargeArrayFilter</c>), and must carry the call's nonce: a user's array that merely starts like one is left alone.
/// </summary>
internal static class ArrayMarker
{
    private static ReadOnlySpan<byte> Magic => [0xCD, 0x88, 0x79, 0xB3, 0x7D, 0x81, 0xCD, 0xC1, 0xD5, 0x1C, 0x30, 0x0B, 0xBC, 0x2B, 0x11, 0x4B];
    private const int Fixed = 16 + 4 + 4 + 4 + 2;
    private const int MaxBytes = 1024;

    /// <summary>The magic, for tests that make an array starting like a marker.</summary>
    public static byte[] MagicBytes => Magic.ToArray();

    /// <summary>
    /// The kind of <paramref name="value"/> by its own type: what a filter goes by rather than the method's declared
    /// types (which only say whether a call needs looking at), so that a marker always has its value's exact type.
    /// </summary>
    public static ArrayKind KindOf(object? value) => value switch
    {
        byte[] => ArrayKind.Bytes,
        float[] => ArrayKind.Floats,
        double[] => ArrayKind.Doubles,
        Memory<byte> => ArrayKind.Memory,
        ReadOnlyMemory<byte> => ArrayKind.ReadOnlyMemory,
        _ => ArrayKind.None,
    };

    /// <summary>The bytes of <paramref name="value"/>, an array or memory of <paramref name="kind"/>, as a span.</summary>
    public static ReadOnlySpan<byte> BytesOf(object? value, ArrayKind kind) => kind switch
    {
        ArrayKind.Bytes => value as byte[],
        ArrayKind.Floats => MemoryMarshal.AsBytes((value as float[]).AsSpan()),
        ArrayKind.Doubles => MemoryMarshal.AsBytes((value as double[]).AsSpan()),
        ArrayKind.Memory => value is Memory<byte> memory ? memory.Span : default,
        ArrayKind.ReadOnlyMemory => value is ReadOnlyMemory<byte> memory ? memory.Span : default,
        _ => default,
    };

    /// <summary>A marker of <paramref name="kind"/> for <paramref name="blob"/>, sent by the call of <paramref name="nonce"/>.</summary>
    public static object Make(SharedMemoryBlob blob, int nonce, ArrayKind kind)
    {
        var pathLength = Encoding.UTF8.GetByteCount(blob.Path);
        var length = (Fixed + pathLength + 7) & ~7;
        var bytes = new byte[length];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), blob.Ticket);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), blob.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), nonce);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), (ushort)pathLength);
        Encoding.UTF8.GetBytes(blob.Path, bytes.AsSpan(Fixed));
        return kind switch
        {
            ArrayKind.Bytes => (object)bytes,
            ArrayKind.Floats => (object)MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
            ArrayKind.Doubles => (object)MemoryMarshal.Cast<byte, double>(bytes).ToArray(),
            ArrayKind.Memory => (object)new Memory<byte>(bytes),
            ArrayKind.ReadOnlyMemory => (object)new ReadOnlyMemory<byte>(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The blob <paramref name="value"/> marks, if it is a marker of the call of <paramref name="nonce"/>.</summary>
    public static bool TryParse(object? value, ArrayKind kind, int nonce, out SharedMemoryBlob blob)
    {
        blob = default;
        var bytes = BytesOf(value, kind);
        if (bytes.Length < Fixed || bytes.Length > MaxBytes || !bytes.StartsWith(Magic)) return false;
        if (BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]) != nonce) return false;
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]);
        var pathLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[28..]);
        if (length < 0 || Fixed + pathLength > bytes.Length) return false;
        if (kind == ArrayKind.Floats && length % sizeof(float) != 0 || kind == ArrayKind.Doubles && length % sizeof(double) != 0) return false;
        blob = new SharedMemoryBlob(Encoding.UTF8.GetString(bytes.Slice(Fixed, pathLength)), BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]), length);
        return true;
    }

    /// <summary>Reads <paramref name="blob"/> out of shared memory as a new array or memory of <paramref name="kind"/>.</summary>
    public static object Read(SharedMemoryChannel channel, SharedMemoryBlob blob, ArrayKind kind)
    {
        switch (kind)
        {
            case ArrayKind.Floats:
            {
                var floats = GC.AllocateUninitializedArray<float>(blob.Length / sizeof(float));
                channel.ReadInto(blob, MemoryMarshal.AsBytes(floats.AsSpan()));
                return floats;
            }

            case ArrayKind.Doubles:
            {
                var doubles = GC.AllocateUninitializedArray<double>(blob.Length / sizeof(double));
                channel.ReadInto(blob, MemoryMarshal.AsBytes(doubles.AsSpan()));
                return doubles;
            }

            default:
            {
                var bytes = GC.AllocateUninitializedArray<byte>(blob.Length);
                channel.ReadInto(blob, bytes);
                // Typed object: a switch of these would convert the byte[] to ReadOnlyMemory<byte>, their common type.
                return kind switch
                {
                    ArrayKind.Memory => (object)new Memory<byte>(bytes),
                    ArrayKind.ReadOnlyMemory => (object)new ReadOnlyMemory<byte>(bytes),
                    _ => (object)bytes,
                };
            }
        }
    }
}
