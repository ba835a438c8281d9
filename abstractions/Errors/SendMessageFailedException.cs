namespace Xoscar.Orleans;

/// <summary>A call or its reply could not be delivered, for example because a value could not be serialized.</summary>
[GenerateSerializer, Alias("xoscar.SendMessageFailedException")]
public sealed class SendMessageFailedException : XoscarException
{
    /// <summary>Creates the error with a message and the failure that caused it.</summary>
    public SendMessageFailedException(string message, Exception? innerException = null) : base(message, innerException) { }
}
