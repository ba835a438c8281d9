using Orleans.Runtime;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The turns of stateful actors' locks that a call waits under, last first: each locked call adds its actor, method
/// and turn, and the chain travels with every call it makes (in the <see cref="RequestContext"/>, so across pools and
/// through stateless actors). A call arriving at an actor whose lock is held by a turn in its own chain closes a cycle.
/// </summary>
/// <remarks>
/// <para>Tells start a chain of their own: their caller does not wait for them.</para>
/// <para>A locked turn only holds its link in this flow (<see cref="Hold"/>); the link goes into the request context
/// when the turn makes a call (<see cref="Export"/>, from the outgoing call filter every call passes). A turn that
/// calls no one — most of them — never copies the request context, which costs more than the rest of the detection.</para>
/// </remarks>
[GenerateSerializer, Immutable, Alias("xoscar.CallChain")]
internal sealed class CallChain
{
    private const string Key = "xo.chain";

    /// <summary>The locked call <paramref name="method"/> holding turn <paramref name="turn"/> of <paramref name="actor"/>'s lock, waited on by <paramref name="caller"/>.</summary>
    public CallChain(CallChain? caller, GrainId actor, string method, long turn)
    {
        Caller = caller;
        Actor = actor;
        Method = method;
        Turn = turn;
    }

    /// <summary>The locked call that waits on this one, if any.</summary>
    [Id(0)] public CallChain? Caller { get; private set; }

    [Id(1)] public GrainId Actor { get; private set; }

    [Id(2)] public string Method { get; private set; }

    [Id(3)] public long Turn { get; private set; }

    // The chain this flow's calls carry from now on, if it differs from the one the flow's request context came with:
    // a locked turn's own link, or None where the flow starts a chain of its own.
    private static readonly AsyncLocal<CallChain?> s_held = new();

    // Held by a flow that carries no chain, whatever its request context came with.
    private static readonly CallChain None = new(null, default, "", 0);

    /// <summary>The chain the running call arrived with (what its caller waits under), if any.</summary>
    public static CallChain? Current => RequestContext.Get(Key) as CallChain;

    /// <summary>Makes <paramref name="chain"/> the chain of this async flow's calls from now on (none when null).</summary>
    public static void Hold(CallChain? chain) => s_held.Value = chain ?? None;

    /// <summary>Makes this flow's calls carry the chain they arrived with, as calls without the lock do (a no-op unless a flow held one).</summary>
    public static void Release()
    {
        if (s_held.Value is not null) s_held.Value = null;
    }

    /// <summary>Puts the chain this flow holds, if any, into the request context of the call about to be made.</summary>
    public static void Export()
    {
        var held = s_held.Value;
        if (held is null) return;
        var carried = RequestContext.Get(Key);
        if (ReferenceEquals(held, None))
        {
            if (carried is not null) RequestContext.Remove(Key);
        }
        else if (!ReferenceEquals(carried, held))
        {
            RequestContext.Set(Key, held);
        }
    }

    /// <summary>The link of the chain holding turn <paramref name="turn"/> of <paramref name="actor"/>'s lock, if any.</summary>
    public CallChain? Find(GrainId actor, long turn)
    {
        for (var link = this; link is not null; link = link.Caller)
        {
            if (link.Turn == turn && link.Actor.Equals(actor)) return link;
        }

        return null;
    }

    /// <summary>The cycle from <paramref name="start"/> (a link of this chain) to this chain's end and on to a new call of <paramref name="method"/> on <paramref name="start"/>'s actor, in call order, for the error.</summary>
    public IReadOnlyList<string> Cycle(CallChain start, string method)
    {
        var names = new List<string> { Name(start.Actor, method) };
        for (var link = this; ; link = link.Caller!)
        {
            names.Add(Name(link.Actor, link.Method));
            if (ReferenceEquals(link, start)) break;
        }

        names.Reverse();
        return names;
    }

    private static string Name(GrainId actor, string method) => $"{ActorId.FromGrainKey(actor.Key.ToString()!)}.{method}";
}
