using OrleansApp;
using Xoscar.Orleans;
using Xoscar.Orleans.Silo;

// An ASP.NET Core application with its own Orleans silo: AddXoscar() makes the silo an actor pool, and IActorContext
// (from DI) creates and calls actors in it. Orleans' ports and the URLs come from configuration (e.g. --Orleans:SiloPort).
var builder = WebApplication.CreateBuilder(args);
var orleans = builder.Configuration.GetSection("Orleans");
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(orleans.GetValue("SiloPort", 11111), orleans.GetValue("GatewayPort", 30000))
    // Every connection proves the cluster's secret: set Xoscar:ClusterSecret where other silos or clients join.
    .AddXoscar(options => options.ClusterSecret = builder.Configuration["Xoscar:ClusterSecret"] ?? ClusterSecret.Generate()));

var app = builder.Build();

// Adds n to the counter named uid, creating it on first use; returns its new value.
app.MapPost("/counters/{uid}/add/{n:int}", async (string uid, int n, IActorContext xo) => Results.Ok(await (await CounterAsync(xo, uid)).Add(n)));
app.MapGet("/counters/{uid}", async (string uid, IActorContext xo) =>
{
    try
    {
        return Results.Ok(await (await xo.ActorRefAsync<ICounter>(xo.DefaultAddress, uid)).Value());
    }
    catch (ActorNotExistException e)
    {
        return Results.NotFound(e.Message);   // names the uid and the pool
    }
});
app.MapDelete("/counters/{uid}", async (string uid, IActorContext xo) =>
{
    await xo.DestroyActorAsync(await xo.ActorRefAsync<ICounter>(xo.DefaultAddress, uid));
    return Results.NoContent();
});
app.Run();

static async Task<ICounter> CounterAsync(IActorContext xo, string uid)
{
    try
    {
        return await xo.CreateActorAsync<Counter, ICounter>(uid: uid);
    }
    catch (ActorAlreadyExistException)
    {
        return await xo.ActorRefAsync<ICounter>(xo.DefaultAddress, uid);
    }
}
