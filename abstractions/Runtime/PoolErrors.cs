using System.Runtime.CompilerServices;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// Names the pool in the message of an error raised there, once: an error that crosses several pools keeps
/// the address of the pool it was raised in (Xoscar prefixes <c>[address=…, pid=…]</c> the same way).
/// </summary>
internal static class PoolErrors
{
    private const string Prefix = "[address=";

    /// <summary>Prefixes the message of <paramref name="error"/> with the pool address, unless a pool already did.</summary>
    public static void Annotate(Exception error, string address)
    {
        var message = error.Message;
        if (message.StartsWith(Prefix, StringComparison.Ordinal)) return;
        MessageField(error) = $"{Prefix}{address}, pid={Environment.ProcessId}] {message}";
    }

    // Exception.Message has no setter; Orleans' own exception codec writes this field the same way.
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_message")]
    private static extern ref string? MessageField(Exception error);
}
