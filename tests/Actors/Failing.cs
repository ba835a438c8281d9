namespace Xoscar.Orleans.Tests.Actors;

public interface IFailing : IActor
{
    Task<string> Ok();
}

/// <summary>Fails wherever its constructor argument says: "ctor", "post-create", "pre-destroy", or nowhere.</summary>
public sealed class Failing : Actor, IFailing
{
    private readonly string _failIn;

    public Failing(string failIn)
    {
        if (failIn == "ctor") throw new FormatException("constructor refused");
        _failIn = failIn;
    }

    public override Task PostCreateAsync() =>
        _failIn == "post-create" ? throw new InvalidDataException("post-create refused") : Task.CompletedTask;

    public override Task PreDestroyAsync() =>
        _failIn == "pre-destroy" ? throw new InvalidOperationException("pre-destroy refused") : Task.CompletedTask;

    public Task<string> Ok() => Task.FromResult("ok");
}
