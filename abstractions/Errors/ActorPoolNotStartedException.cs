namespace Xoscar.Orleans;

/// <summary>The façade was used where no actor pool is running or connected.</summary>
[GenerateSerializer, Alias("xoscar.ActorPoolNotStartedException")]
public sealed class ActorPoolNotStartedException : XoscarException
{
    /// <summary>Creates the error with a message that says what was missing.</summary>
    public ActorPoolNotStartedException(string message) : base(message) { }
}
