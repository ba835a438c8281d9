using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class ActorCallTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static int Occurrences(string text, string part) => text.Split(part).Length - 1;

    [Fact]
    public async Task Actor_sends_to_an_actor_in_another_pool()
    {
        var caller = await Xo.CreateActorAsync<Caller, ICaller>(null, NewUid(), Pool0);
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([40], NewUid(), Pool1);

        Assert.Equal(42, await caller.AddTo(counter, 2));
        Assert.Equal(42, await counter.Value());
    }

    [Fact]
    public async Task Remote_exception_keeps_its_type_and_names_the_pool()
    {
        var thrower = await Xo.CreateActorAsync<Thrower, IThrower>(null, NewUid(), Pool1);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => thrower.Throw("too far"));

        Assert.Contains("too far", error.Message);
        Assert.Contains($"[address={Pool1}", error.Message);
    }

    [Fact]
    public async Task Nested_remote_exception_keeps_its_type_and_names_the_raising_pool_once()
    {
        var caller = await Xo.CreateActorAsync<Caller, ICaller>(null, NewUid(), Pool0);
        var thrower = await Xo.CreateActorAsync<Thrower, IThrower>(null, NewUid(), Pool1);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => caller.ThrowVia(thrower, "nested"));

        Assert.Equal(1, Occurrences(error.Message, "[address="));
        Assert.Contains($"[address={Pool1}", error.Message);
    }

    [Fact]
    public async Task Exception_without_a_serializer_arrives_as_RemoteActorException_carrying_type_name_message_and_stack()
    {
        var thrower = await Xo.CreateActorAsync<Thrower, IThrower>(null, NewUid(), Pool1);

        var error = await Assert.ThrowsAsync<RemoteActorException>(() => thrower.ThrowUnknown("only here"));

        Assert.Equal(typeof(ActorLocalError).FullName, error.RemoteType);
        Assert.Contains("only here", error.Message);
        Assert.Contains($"[address={Pool1}", error.Message);
        Assert.Contains(nameof(Thrower.ThrowUnknown), error.RemoteStackTrace);
    }

    [Fact]
    public async Task Reference_to_an_unknown_uid_raises_ActorNotExist()
    {
        var uid = NewUid();

        var error = await Assert.ThrowsAsync<ActorNotExistException>(() => Xo.ActorRefAsync<ICounter>(Pool1, uid));

        Assert.Equal(new ActorId(Pool1, uid), error.Actor);
    }
}
