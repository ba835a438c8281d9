using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Metadata;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Bad input — a malformed pool address, a uid that is empty, too long or holds control characters, a value with no
/// serializer — is refused at once with a typed error that names what was wrong, and the pool serves on.
/// </summary>
public sealed class BadInputTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(1);

    private static readonly string[] BadAddresses =
    [
        "127.0.0.1", "x:y", ":80", "", "   ", "localhost:80", "127.0.0.1:99999", "127.0.0.1:0", "127.0.0.1:80\n", "::1:80", "127.000.0.1:80",
    ];

    private static readonly string[] BadUids =
    [
        "", "a\nb", "a\0b", "tab\t", "esc\u001b[31m", "del\u007f", "line\u2028break", new string('u', ActorId.MaxUidLength + 1), new string('u', 10_000),
    ];

    /// <summary>Each case: the call to make, and what it must be refused with.</summary>
    private static readonly Dictionary<string, BadCase> Cases = BuildCases();

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Fact]
    public void There_are_at_least_forty_cases()
    {
        Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");
    }

    [Theory, MemberData(nameof(CaseNames))]
    public async Task Bad_input_is_refused_at_once_with_a_typed_error_naming_it_and_the_pool_serves_on(string name)
    {
        var badCase = Cases[name];
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([0], NewUid(), Pool1);
        var handler = await Xo.CreateActorAsync<OpaqueHandler, IOpaqueHandler>(null, NewUid(), Pool1);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Record.ExceptionAsync(() => badCase.Call(new Bench(Xo, Pool1, handler, counter, Fixture)));
        clock.Stop();

        Assert.NotNull(error);
        Assert.IsAssignableFrom(badCase.Error, error);
        Assert.True(clock.Elapsed < AtOnce, $"refused after {clock.Elapsed.TotalMilliseconds:0} ms");
        if (badCase.Argument is not null) Assert.Equal(badCase.Argument, Assert.IsAssignableFrom<ArgumentException>(error).ParamName);
        if (badCase.Names is { } named) Assert.Contains(named, error.Message);
        Assert.Equal(1, await counter.Add(1));
        Assert.Equal(1, await handler.Ping());
    }

    [Fact]
    public async Task A_uid_with_control_characters_is_quoted_escaped_in_the_error()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Xo.CreateActorAsync<Counter, ICounter>([0], "evil\nWARN forged line", Pool1));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(@"'evil\u000aWARN forged line' has a control character (U+000A) at position 4", error.Message);
    }

    [Fact]
    public async Task A_uid_of_the_maximum_length_is_accepted()
    {
        var uid = new string('m', ActorId.MaxUidLength - 32) + NewUid();

        var counter = await Xo.CreateActorAsync<Counter, ICounter>([0], uid, Pool1);

        Assert.Equal(1, await counter.Add(1));
        Assert.Equal(uid, (await Xo.ActorRefAsync<ICounter>(Pool1, uid)).GetActorId().Uid);
    }

    [Fact]
    public async Task A_value_without_a_serializer_is_refused_naming_its_type_and_the_fix()
    {
        var handler = await Xo.CreateActorAsync<OpaqueHandler, IOpaqueHandler>(null, NewUid(), Pool1);

        var error = await Assert.ThrowsAsync<NotSerializableException>(() => handler.Take(new Opaque()));

        Assert.Equal(typeof(Opaque).FullName, error.TypeName);
        Assert.Contains("[GenerateSerializer]", error.Message);
        Assert.Contains("[RegisterConverter]", error.Message);
    }

    [Fact]
    public async Task A_collection_with_no_codec_of_its_own_travels_by_its_items_behind_an_interface()
    {
        var handler = await Xo.CreateActorAsync<OpaqueHandler, IOpaqueHandler>(null, NewUid(), Pool1);

        Assert.Equal(10, await handler.Sum(Enumerable.Range(0, 5).Select(i => i)));   // a LINQ iterator
    }

    [Fact]
    public async Task A_null_of_a_type_without_a_serializer_travels()
    {
        var handler = await Xo.CreateActorAsync<OpaqueHandler, IOpaqueHandler>(null, NewUid(), Pool1);

        await Assert.ThrowsAsync<NullReferenceException>(() => handler.Take(null!));   // it arrived: the actor dereferenced it
    }

    private static Dictionary<string, BadCase> BuildCases()
    {
        var cases = new Dictionary<string, BadCase>();
        void Add(string name, Type error, string? argument, string? names, Func<Bench, Task> call) => cases.Add(name, new BadCase(call, error, argument, names));
        static string Shown(string value) => PrintableText.Quote(value);

        foreach (var address in BadAddresses)
        {
            var named = address.Length == 0 ? "''" : Shown(address);
            Add($"create at address {Shown(address)}", typeof(ArgumentException), "address", named,
                b => b.Xo.CreateActorAsync<Counter, ICounter>([0], address: address));
            Add($"ref at address {Shown(address)}", typeof(ArgumentException), "address", named,
                b => b.Xo.ActorRefAsync<ICounter>(address, "u"));
            Add($"pool config of address {Shown(address)}", typeof(ArgumentException), "address", named,
                b => b.Xo.GetPoolConfigAsync(address));
        }

        foreach (var address in BadAddresses.Take(3))
        {
            Add($"AddressSpecified {Shown(address)}", typeof(ArgumentException), "address", Shown(address),
                b => b.Xo.CreateActorAsync<Counter, ICounter>(new AddressSpecified(address), [0]));
            Add($"allocation through address {Shown(address)}", typeof(ArgumentException), "address", Shown(address),
                b => b.Xo.CreateActorAsync<Counter, ICounter>(new RandomPool(), [0], address: address));
        }

        foreach (var uid in BadUids)
        {
            Add($"create with uid {Shown(uid)}", typeof(ArgumentException), "uid", Shown(uid),
                b => b.Xo.CreateActorAsync<Counter, ICounter>([0], uid, b.Pool));
        }

        foreach (var uid in BadUids.Where(u => u.Length is 0 or > 100 || u.Contains('\n')))
        {
            Add($"ref with uid {Shown(uid)}", typeof(ArgumentException), "uid", Shown(uid), b => b.Xo.ActorRefAsync<ICounter>(b.Pool, uid));
        }

        // Requests that reach a pool without the façade are checked there (the argument's name stays in the message only).
        Add("pool asked to create uid 'a\\nb'", typeof(ArgumentException), null, @"Actor uid 'a\u000ab'",
            b => b.PoolGrain.CreateActor(new ActorCreationSpec("a\nb", b.CounterType, [0])));
        Add("pool asked to look up an empty uid", typeof(ArgumentException), null, "Actor uid '' is empty", b => b.PoolGrain.LookupActor("", typeof(ICounter)));
        Add("pool asked whether a 10 000-character uid exists", typeof(ArgumentException), null, "(10000 characters) has 10000 characters",
            b => b.PoolGrain.HasActor(new string('u', 10_000), b.CounterType));

        // The pools' own requests to each other, which any holder of the secret can make too.
        Add("pool asked to kill pool 'x:y'", typeof(ArgumentException), null, "'x:y'", b => b.PoolGrain.KillSubPool("x:y", new ActorId("x:y", "u")));
        Add("pool asked to kill for an actor 'a\\nb'", typeof(ArgumentException), null, @"Actor uid 'a\u000ab'", b => b.PoolGrain.KillSubPool(b.Pool, new ActorId(b.Pool, "a\nb")));
        Add("pool asked by a client to kill as if for another pool", typeof(ArgumentException), null, "is not a pool",
            b => b.PoolGrain.KillSubPoolFor(b.Pool, new ActorId(b.Pool, "u"), "someone else"));
        Add("pool told of an actor of pool 'x:y'", typeof(ArgumentException), null, "'x:y'", b => b.PoolGrain.RecordActor("x:y", new ActorCreationSpec("u", b.CounterType, [0])));
        Add("pool told to forget an empty uid", typeof(ArgumentException), null, "Actor uid '' is empty", b => b.PoolGrain.ForgetActor(b.Pool, "", b.CounterType));
        Add("pool told that pool ':80' recovered", typeof(ArgumentException), null, "':80'", b => b.PoolGrain.RecordPoolRecovered(":80"));
        Add("pool told of the death of pool '127.0.0.1'", typeof(ArgumentException), null, "'127.0.0.1'",
            b => b.PoolGrain.RecordPoolDeath(new PoolObituary("127.0.0.1", 1, 1, "exited", [], DateTime.UtcNow)));
        Add("pool asked for an actor as a class", typeof(ArgumentException), null, "is not an actor interface", b => b.PoolGrain.LookupActor("u", typeof(Counter)));
        Add("pool asked whether an actor of no class exists", typeof(ArgumentException), null, "An actor class is needed", b => b.PoolGrain.HasActor("u", default));
        Add("pool asked to allocate by no strategy", typeof(ArgumentException), null, "strategy",
            b => b.PoolGrain.AllocateActor(new ActorCreationSpec("u", b.CounterType, [0]), null!));
        Add("pool sent a block of -1 bytes", typeof(ArgumentException), null, "-1 bytes",
            b => b.Transfers.Write(new Transfers.BufferChunk(Guid.NewGuid(), 0, Path.Combine(SharedMemory.SharedMemoryChannel.Folder, "xoscar-blob-0-0"), -1)));

        // The actors' control requests: only calls of the actor's own interfaces, and only where they belong.
        Add("tell carrying a call of another actor's interface", typeof(ArgumentException), null, "IOpaqueHandler.Ping is not a method of an actor interface",
            b => b.CounterControl.Tell(new Immutable<IInvokable[]>([CallCapture.Capture(b.Handler, h => h.Ping()).Request])).AsTask());
        Add("tell carrying no call", typeof(ArgumentException), null, "carries no call", b => b.CounterControl.Tell(new Immutable<IInvokable[]>([])).AsTask());
        Add("call forwarded to an actor's own activation", typeof(ArgumentException), null, "RunForwarded is for the extra activations",
            b => b.CounterControl.RunForwarded(new Immutable<IInvokable>(CallCapture.Capture(b.Counter, c => c.Add(1)).Request)));
        Add("retirement of an actor's own activation", typeof(ArgumentException), null, "Retire is for the extra activations", b => b.CounterControl.Retire());

        // Values with no serializer, wherever they travel.
        var opaque = typeof(Opaque).FullName;
        Add("argument without a serializer", typeof(NotSerializableException), null, opaque, b => b.Handler.Take(new Opaque()));
        Add("result without a serializer", typeof(NotSerializableException), null, opaque, b => b.Handler.Give());
        Add("object argument holding a value without a serializer", typeof(NotSerializableException), null, opaque, b => b.Handler.TakeAny(new Opaque()));
        Add("object result holding a value without a serializer", typeof(NotSerializableException), null, opaque, b => b.Handler.GiveAny());
        Add("tell with an argument without a serializer", typeof(NotSerializableException), null, opaque,
            b => b.Handler.Tell(h => h.Take(new Opaque())).AsTask());
        Add("delayed call with an argument without a serializer", typeof(NotSerializableException), null, opaque,
            b => b.Handler.Batch(b.Handler.Delay(h => h.Take(new Opaque()))));
        Add("batch over arguments without a serializer", typeof(NotSerializableException), null, opaque,
            b => b.Handler.Batch([new Opaque(), new Opaque()], (h, o) => h.Take(o)));
        Add("creation argument without a serializer", typeof(NotSerializableException), null, opaque,
            b => b.Xo.CreateActorAsync<OpaqueOwner, IOpaqueHandler>([new Opaque()], address: b.Pool));

        // Options of pools and clients, checked before anything starts.
        Add("embedded pool at 'x:y'", typeof(ArgumentException), "Address", "'x:y'",
            _ => EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { Address = "x:y" }));
        Add("embedded pool joining '127.0.0.1'", typeof(ArgumentException), "JoinAddress", "'127.0.0.1'",
            _ => EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { JoinAddress = "127.0.0.1" }));
        Add("actor pool at ':80'", typeof(ArgumentException), "Address", "':80'",
            _ => ActorPool.CreateAsync(new ActorPoolOptions { Address = ":80" }));
        Add("client through gateway 'localhost:30000'", typeof(ArgumentException), "Gateways", "'localhost:30000'",
            _ => ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { "localhost:30000" } }));
        Add("client defaulting to pool '127.0.0.1:0'", typeof(ArgumentException), "DefaultAddress", "'127.0.0.1:0'",
            _ => ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { "127.0.0.1:30000" }, DefaultAddress = "127.0.0.1:0" }));
        return cases;
    }

    /// <summary>A bad call, the error type it is refused with, the argument the error names, and text the message holds.</summary>
    private sealed record BadCase(Func<Bench, Task> Call, Type Error, string? Argument, string? Names);

    /// <summary>What a case calls: the client's façade, a pool, an actor with methods that take and return opaque values.</summary>
    private sealed class Bench(IActorContext xo, string pool, IOpaqueHandler handler, ICounter counter, ClusterFixture fixture)
    {
        public IActorContext Xo { get; } = xo;

        public string Pool { get; } = pool;

        public IOpaqueHandler Handler { get; } = handler;

        public ICounter Counter { get; } = counter;

        public IActorPoolGrain PoolGrain => References.Pool(Pool);

        public ITransferGrain Transfers => References.Transfers(Pool);

        public IActorControl CounterControl => References.Control(Counter.GetGrainId());

        private ActorReferences References => fixture.Cluster.Client.ServiceProvider.GetRequiredService<ActorReferences>();

        public GrainType CounterType => fixture.Cluster.Client.ServiceProvider.GetRequiredService<GrainTypeResolver>().GetGrainType(typeof(Counter));
    }
}
