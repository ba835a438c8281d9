using Quickstart;
using Xoscar.Orleans;
using Xoscar.Orleans.Dashboard;
using Xoscar.Orleans.Silo;

// `-- --dashboard [url]`: also serve the Orleans dashboard from the pool, and keep it busy until Ctrl+C.
var at = Array.IndexOf(args, "--dashboard");
var dashboard = at < 0 ? null : at + 1 < args.Length ? args[at + 1] : "http://127.0.0.1:8080";
var options = new EmbeddedPoolOptions();
if (dashboard is not null) options.UseDashboard(dashboard);

// One call starts an actor pool inside this process: no external service.
await using var pool = await EmbeddedActorPool.StartAsync(options);
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

if (dashboard is not null)
{
    var ticker = await xo.CreateActorAsync<Counter, ICounter>([0], uid: "ticker");
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    Console.WriteLine($"dashboard at {string.Join(", ", DashboardPoolExtensions.DashboardUrls(pool.Services))}: actor 'ticker' is called every 100 ms; Ctrl+C stops");
    while (!stop.IsCancellationRequested)
    {
        await ticker.Add(1);
        await Task.Delay(100, stop.Token).ContinueWith(_ => { });
    }
}
