namespace Xoscar.Orleans;

/// <summary>
/// Stands in for an exception an actor threw whose type cannot travel (it has no Orleans serializer and is not
/// one of the framework's own). It carries what the caller needs: the original type's name, its message
/// (naming the pool) and the stack trace where it was thrown.
/// </summary>
[GenerateSerializer, Alias("xoscar.RemoteActorException")]
public sealed class RemoteActorException : XoscarException
{
    /// <summary>Wraps <paramref name="error"/>, whose message already names the pool.</summary>
    public RemoteActorException(Exception error) : base(error.Message)
    {
        RemoteType = error.GetType().FullName ?? error.GetType().Name;
        RemoteStackTrace = error.StackTrace;
    }

    /// <summary>The full name of the exception type that was thrown.</summary>
    [Id(0)] public string RemoteType { get; private set; }

    /// <summary>Where it was thrown, in the actor's pool.</summary>
    [Id(1)] public string? RemoteStackTrace { get; private set; }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().FullName} ({RemoteType}): {Message}{Environment.NewLine}{RemoteStackTrace}";
}
