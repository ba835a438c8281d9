using Quickstart;
using Xoscar.Orleans;
using Xoscar.Orleans.Silo;

// One call starts an actor pool inside this process: no external service.
await using var pool = await EmbeddedActorPool.StartAsync();
var xo = pool.Context;
Console.WriteLine($"pool started at {pool.Address}");

var counter = await xo.CreateActorAsync<Counter, ICounter>([100], uid: "counter");
Console.WriteLine($"created {counter.GetActorId()}");

Console.WriteLine($"send Add(1) -> {await counter.Add(1)}");
Console.WriteLine($"send Add(1) -> {await counter.Add(1)}");

await counter.Tell(c => c.Add(10));
Console.WriteLine($"tell Add(10), then send Value() -> {await counter.Value()}");

var sums = await counter.Batch([1, 2, 3], (c, n) => c.Add(n));
Console.WriteLine($"batch Add(1), Add(2), Add(3) in one message -> [{string.Join(", ", sums)}]");

var again = await xo.ActorRefAsync<ICounter>(pool.Address, "counter");
Console.WriteLine($"ActorRefAsync(\"{pool.Address}\", \"counter\").Value() -> {await again.Value()}");

try
{
    await xo.CreateActorAsync<Counter, ICounter>([0], uid: "counter");
}
catch (ActorAlreadyExistException e)
{
    Console.WriteLine($"create the same uid again -> {e.GetType().Name}: {e.Message}");
}

await xo.DestroyActorAsync(counter);
Console.WriteLine($"destroyed; HasActorAsync -> {await xo.HasActorAsync(counter)}");
try
{
    await counter.Value();
}
catch (ActorNotExistException e)
{
    Console.WriteLine($"call after destroy -> {e.GetType().Name}: {e.Message}");
}
