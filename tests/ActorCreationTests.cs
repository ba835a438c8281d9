using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class ActorCreationTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task Created_actor_keeps_its_state_between_sends()
    {
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([100], NewUid(), Pool0);

        Assert.Equal(101, await counter.Add(1));
        Assert.Equal(102, await counter.Add(1));
    }

    [Fact]
    public async Task Self_reference_from_inside_the_actor_equals_the_callers_reference()
    {
        var uid = NewUid();
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([0], uid, Pool1);

        var self = await counter.Self();

        Assert.Equal(counter.GetActorId(), self.GetActorId());
        Assert.Equal(new ActorId(Pool1, uid), self.GetActorId());
        Assert.Equal(5, await self.Add(5));
    }

    [Fact]
    public async Task Reference_looked_up_by_uid_reaches_the_same_actor()
    {
        var uid = NewUid();
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([10], uid, Pool0);
        await counter.Add(1);

        var found = await Xo.ActorRefAsync<ICounter>(Pool0, uid);

        Assert.Equal(11, await found.Value());
    }

    [Fact]
    public async Task Creation_without_uid_generates_a_distinct_uid()
    {
        var a = await Xo.CreateActorAsync<Counter, ICounter>([0], address: Pool0);
        var b = await Xo.CreateActorAsync<Counter, ICounter>([0], address: Pool0);

        Assert.False(string.IsNullOrEmpty(a.GetActorId().Uid));
        Assert.NotEqual(a.GetActorId().Uid, b.GetActorId().Uid);
    }

    [Fact]
    public async Task Duplicate_uid_in_a_pool_raises_ActorAlreadyExist_and_leaves_the_first_actor_alone()
    {
        var uid = NewUid();
        var first = await Xo.CreateActorAsync<Counter, ICounter>([1], uid, Pool0);

        var error = await Assert.ThrowsAsync<ActorAlreadyExistException>(() => Xo.CreateActorAsync<Recorder, IRecorder>(null, uid, Pool0));

        Assert.Equal(new ActorId(Pool0, uid), error.Actor);
        Assert.Equal(1, await first.Value());
    }

    [Fact]
    public async Task Same_uid_in_two_pools_is_two_actors()
    {
        var uid = NewUid();
        var in0 = await Xo.CreateActorAsync<Counter, ICounter>([0], uid, Pool0);
        var in1 = await Xo.CreateActorAsync<Counter, ICounter>([1000], uid, Pool1);

        Assert.Equal(1, await in0.Add(1));
        Assert.Equal(1001, await in1.Add(1));
        Assert.Equal(Pool0, await in0.Where());
        Assert.Equal(Pool1, await in1.Where());
    }

    [Fact]
    public async Task Constructor_exception_reaches_the_caller_with_its_type_and_leaves_no_actor()
    {
        var uid = NewUid();

        var error = await Assert.ThrowsAsync<FormatException>(() => Xo.CreateActorAsync<Failing, IFailing>(["ctor"], uid, Pool1));

        Assert.Contains("constructor refused", error.Message);
        await Assert.ThrowsAsync<ActorNotExistException>(() => Xo.ActorRefAsync<IFailing>(Pool1, uid));
        var again = await Xo.CreateActorAsync<Failing, IFailing>(["nowhere"], uid, Pool1);
        Assert.Equal("ok", await again.Ok());
    }

    [Fact]
    public async Task Post_create_exception_reaches_the_caller_with_its_type_and_leaves_no_actor()
    {
        var uid = NewUid();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Xo.CreateActorAsync<Failing, IFailing>(["post-create"], uid, Pool0));

        Assert.Contains("post-create refused", error.Message);
        await Assert.ThrowsAsync<ActorNotExistException>(() => Xo.ActorRefAsync<IFailing>(Pool0, uid));
        var again = await Xo.CreateActorAsync<Failing, IFailing>(["nowhere"], uid, Pool0);
        Assert.Equal("ok", await again.Ok());
    }

    [Fact]
    public async Task Actor_can_create_another_actor_and_call_it()
    {
        var caller = await Xo.CreateActorAsync<Caller, ICaller>(null, NewUid(), Pool1);

        Assert.Equal(6, await caller.CreateCounterAndAdd(2, 4));
    }

    [Fact]
    public async Task Constructor_arguments_that_match_no_constructor_raise_ArgumentException_naming_the_actor()
    {
        var uid = NewUid();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Xo.CreateActorAsync<Counter, ICounter>(["not an int"], uid, Pool0));

        Assert.Contains(uid, error.Message);
        Assert.Contains(Pool0, error.Message);
    }

    [Fact]
    public async Task Creating_in_a_pool_that_is_not_running_raises_ServerClosed_naming_the_address()
    {
        var error = await Assert.ThrowsAsync<ServerClosedException>(() => Xo.CreateActorAsync<Counter, ICounter>([0], NewUid(), "127.0.0.1:1"));

        Assert.Equal("127.0.0.1:1", error.Address);
        Assert.Contains(Pool0, error.Message);
    }

    [Fact]
    public async Task Looking_up_an_actor_through_an_interface_it_does_not_implement_raises_InvalidCast()
    {
        var uid = NewUid();
        await Xo.CreateActorAsync<Counter, ICounter>([0], uid, Pool0);

        var error = await Assert.ThrowsAsync<InvalidCastException>(() => Xo.ActorRefAsync<IRecorder>(Pool0, uid));

        Assert.Contains(nameof(IRecorder), error.Message);
    }
}
