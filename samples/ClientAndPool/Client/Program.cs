using ClientAndPool;
using Xoscar.Orleans;
using Xoscar.Orleans.Silo;

// The connection file the pool printed ("xoscar-pool connection-file PATH ..."): its gateway and the cluster's secret.
if (args is not [var connectionFile])
{
    Console.Error.WriteLine("usage: dotnet run --project samples/ClientAndPool/Client -- CONNECTION_FILE");
    return 2;
}

await using var client = await ActorClient.ConnectAsync(new ActorClientOptions { ConnectionFile = connectionFile });
var pools = await client.Context.GetPoolConfigAsync();
Console.WriteLine($"connected to {pools.Count} pools: {string.Join(", ", pools.Select(p => $"{p.Address} ({p.Kind})"))}");

// The last pool: a sub pool where the main pool has some, the main pool otherwise.
var greeter = await client.Context.CreateActorAsync<Greeter, IGreeter>(["Hello"], uid: "greeter", address: pools[^1].Address);
Console.WriteLine(await greeter.Greet("world"));
Console.WriteLine(await greeter.Greet("again"));
await client.Context.DestroyActorAsync(greeter);
Console.WriteLine("destroyed the greeter; the pool runs on until Ctrl+C");
return 0;
