using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Orleans.Serialization.Serializers;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// Makes an error raised in a pool fit to travel to its caller: its message names the pool, once (an error that
/// crosses several pools keeps the address of the pool it was raised in, as Xoscar's <c>[address=…, pid=…]</c>
/// prefix does), and a type that cannot be serialized is replaced by a <see cref="RemoteActorException"/>.
/// </summary>
internal static class PoolErrors
{
    private const string Prefix = "[address=";
    private static readonly ConcurrentDictionary<Type, bool> Serializable = new();

    /// <summary>The exception to send back for <paramref name="error"/>, raised by an actor of the pool at <paramref name="address"/>.</summary>
    public static Exception ForCaller(Exception error, string address, ICodecProvider codecs)
    {
        var message = error.Message;
        if (!message.StartsWith(Prefix, StringComparison.Ordinal))
        {
            MessageField(error) = $"{Prefix}{address}, pid={Environment.ProcessId}] {message}";
        }

        var type = error.GetType();
        var serializable = Serializable.TryGetValue(type, out var known) ? known : Serializable.GetOrAdd(type, codecs.TryGetCodec(type) is not null);
        return serializable ? error : new RemoteActorException(error);
    }

    // Exception.Message has no setter; Orleans' own exception codec writes this field the same way.
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_message")]
    private static extern ref string? MessageField(Exception error);
}
