namespace Xoscar.Orleans.Tests.Actors;

public interface IBlobEcho : IActor
{
    /// <summary>Returns a blob of the same bytes, reversed, so that the result is a new blob crossing back.</summary>
    Task<Blob> Reverse(Blob blob);
}

public sealed class BlobEcho : Actor, IBlobEcho
{
    public Task<Blob> Reverse(Blob blob) => Task.FromResult(new Blob(blob.Bytes.Reverse().ToArray()));
}
