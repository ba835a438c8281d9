using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// What an actor runs when a request reaches it through its control interface (a tell, a batch, a call forwarded to
/// an extra activation): a call to a method of one of the actor's own interfaces. Xoscar's proxies build only such
/// calls; a request may come from anywhere, so the actor checks.
/// </summary>
internal static class ActorRequests
{
    /// <summary>Returns <paramref name="call"/> if it calls a method of an actor interface that <paramref name="actor"/> implements.</summary>
    /// <exception cref="ArgumentException">It does not; names <paramref name="argument"/>, the method and the actor.</exception>
    public static IInvokable Check(IInvokable? call, ActorBase actor, string argument)
    {
        if (call is null) throw new ArgumentNullException(argument, $"A call to actor '{actor.Uid}' in pool {actor.Address} is missing.");
        var declaring = call.GetInterfaceType();
        if (!declaring.IsInterface || !typeof(IActor).IsAssignableFrom(declaring) || !declaring.IsInstanceOfType(actor))
        {
            throw new ArgumentException(
                $"{declaring.Name}.{call.GetMethodName()} is not a method of an actor interface of actor '{actor.Uid}' ({actor.GetType().Name}) in pool {actor.Address}.",
                argument);
        }

        return call;
    }

    /// <summary>Returns <paramref name="calls"/> if each of them is a call <see cref="Check(IInvokable?, ActorBase, string)"/> accepts.</summary>
    /// <exception cref="ArgumentException">One is not, or there are none.</exception>
    public static IInvokable[] Check(IInvokable[]? calls, ActorBase actor, string argument)
    {
        if (calls is not { Length: > 0 }) throw new ArgumentException($"A tell to actor '{actor.Uid}' in pool {actor.Address} carries no call.", argument);
        foreach (var call in calls) Check(call, actor, argument);
        return calls;
    }

    /// <summary>
    /// Returns <paramref name="batch"/> if it is whole: a checked first call, at least one call, and one column of
    /// <see cref="BatchPayload.Count"/> values per argument.
    /// </summary>
    /// <exception cref="ArgumentException">It is not; names <paramref name="argument"/> and what is wrong.</exception>
    public static BatchPayload Check(BatchPayload? batch, ActorBase actor, string argument)
    {
        if (batch is null) throw new ArgumentNullException(argument, $"A batch to actor '{actor.Uid}' in pool {actor.Address} is missing.");
        var template = Check(batch.Template, actor, argument);
        var arguments = template.GetArgumentCount();
        var problem = batch.Count < 1 ? $"has {batch.Count} calls"
            : batch.Columns is null || batch.Columns.Length != arguments ? $"has {batch.Columns?.Length ?? 0} argument columns for a method of {arguments} parameters"
            : batch.Columns.FirstOrDefault(c => c is not null && c.Values.Length != batch.Count) is { } uneven ? $"has a column of {uneven.Values.Length} values for {batch.Count} calls"
            : null;
        return problem is null ? batch
            : throw new ArgumentException($"A batch of {template.GetMethodName()} to actor '{actor.Uid}' in pool {actor.Address} {problem}.", argument);
    }
}
