namespace Xoscar.Orleans;

/// <summary>Base class of every error Xoscar.Orleans raises itself.</summary>
[GenerateSerializer, Alias("xoscar.XoscarException")]
public class XoscarException : Exception
{
    /// <summary>Creates the error with a message.</summary>
    public XoscarException(string message) : base(message) { }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public XoscarException(string message, Exception? innerException) : base(message, innerException) { }
}
