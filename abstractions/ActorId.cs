namespace Xoscar.Orleans;

/// <summary>
/// The identity of an actor: the address of the pool it lives in and its uid within that pool.
/// The same uid may exist in two pools; they are two different actors.
/// </summary>
/// <param name="Address">The pool address, <c>host:port</c>.</param>
/// <param name="Uid">The actor's uid, unique within its pool.</param>
[GenerateSerializer, Immutable, Alias("xoscar.ActorId")]
public readonly record struct ActorId(string Address, string Uid)
{
    /// <summary>
    /// The longest uid, in characters. Uids are also non-empty and free of control characters and line breaks; the façade
    /// and the pools refuse others with an <see cref="ArgumentException"/>.
    /// </summary>
    public const int MaxUidLength = 256;

    private const char Separator = '/';

    // Marks the extra activations of a [ScaleOut] actor: "address/uid" + marker + index.
    private const string WorkerMarker = "\u0001worker-";

    /// <summary>The grain key that carries this identity: <c>address/uid</c>.</summary>
    internal string ToGrainKey() => string.Concat(Address, "/", Uid);

    /// <summary>Reads the identity from a grain key written by <see cref="ToGrainKey"/>.</summary>
    /// <exception cref="FormatException">The key carries no pool address.</exception>
    internal static ActorId FromGrainKey(string key)
    {
        // Pool addresses (host:port, [v6]:port) never contain '/', uids may: split at the first one.
        var i = key.IndexOf(Separator);
        if (i <= 0) throw new FormatException($"Grain key '{key}' is not an actor key of the form 'address/uid'.");
        var worker = key.IndexOf(WorkerMarker, i, StringComparison.Ordinal);
        return new ActorId(key[..i], worker < 0 ? key[(i + 1)..] : key[(i + 1)..worker]);
    }

    /// <summary>The grain key of extra activation <paramref name="worker"/> (1..) of a scaled-out actor.</summary>
    internal string ToWorkerGrainKey(int worker) => string.Concat(ToGrainKey(), WorkerMarker, worker.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Whether a grain key names an extra activation of a scaled-out actor rather than the actor itself.</summary>
    internal static bool IsWorkerGrainKey(string key) => key.Contains(WorkerMarker, StringComparison.Ordinal);

    /// <summary>The pool address part of a grain key (the whole key for a pool's own grain).</summary>
    internal static string AddressOfGrainKey(string key)
    {
        var i = key.IndexOf(Separator);
        return i < 0 ? key : key[..i];
    }

    /// <inheritdoc />
    public override string ToString() => $"{Uid}@{Address}";
}
