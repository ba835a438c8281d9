using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo.Runtime;

namespace Xoscar.Orleans.Dashboard;

/// <summary>
/// The Xoscar page beside the Orleans Dashboard (<c>/xoscar</c>): the cluster's pools (address, index, label, role,
/// process, pinned core, GPU device and its memory), each pool's actors by uid and class (from the pool's own registry,
/// a page at a time), and the latest pool events. The page reads three JSON endpoints under <c>/xoscar/</c>.
/// </summary>
internal static class XoscarPage
{
    /// <summary>Actors per page unless the page asks for another number.</summary>
    public const int ActorsPerPage = 50;

    private const int EventsShown = 50;

    /// <summary>Maps the page and its endpoints.</summary>
    public static RouteGroupBuilder MapXoscarPage(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/xoscar");
        group.MapGet("", () => Results.Content(Html, "text/html; charset=utf-8"));
        group.MapGet("/pools", (PoolDirectory pools, PoolAllocator placement) => PoolRows(pools, placement));
        group.MapGet("/actors", async (string pool, string? after, int? take, PoolDirectory pools, IServiceProvider services) =>
        {
            // Only a pool of the cluster is asked: any other address would be placed, and fail, as a call to it.
            if (!pools.Pools().Any(p => p.Address == pool)) return Results.Text($"No pool of this cluster is at '{pool}'.", statusCode: StatusCodes.Status404NotFound);
            var count = Math.Clamp(take ?? ActorsPerPage, 1, IActorPoolGrain.MaxActorPage);
            var page = await services.GetRequiredService<ActorReferences>().Pool(pool).ListActors(after, count);
            return Results.Ok(new { page.Total, Actors = page.Actors.Select(a => new { a.Uid, Class = a.ActorClass }) });
        });
        group.MapGet("/events", (PoolEventLog events) => events.Latest(EventsShown).Reverse().Select(e => new
        {
            Time = e.TimeUtc.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture), Kind = e.Kind.ToString(), e.Address, e.Description, e.Cause,
        }));
        return group;
    }

    /// <summary>
    /// The pools as the page lists them; a GPU pool's device with the free memory and reservations its main pool's
    /// placement sees, where this pool is that main pool (elsewhere, the device alone).
    /// </summary>
    internal static IReadOnlyList<PoolRow> PoolRows(PoolDirectory pools, PoolAllocator placement)
    {
        var gpus = pools.Local.Kind == PoolKind.Main
            ? placement.Describe(pools.ActorPoolOf(pools.Local)).Where(p => p.Gpu is not null).ToDictionary(p => p.Address, p => p.Gpu!.ToString())
            : [];
        return pools.Pools()
            .Select(p => new PoolRow(p.Address, p.Index, p.Label, p.Kind.ToString().ToLowerInvariant(), p.ProcessId, p.Core, gpus.GetValueOrDefault(p.Address) ?? p.Device))
            .ToList();
    }

    /// <summary>One row of the page's pool table.</summary>
    internal sealed record PoolRow(string Address, int Index, string? Label, string Role, int Pid, int? Core, string? Gpu);

    // One page, no assets: tables filled from the endpoints every two seconds (actors: the page each pool shows).
    private const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Xoscar pools</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
          table { border-collapse: collapse; margin-bottom: 1.5em; }
          th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; font-size: 0.9em; }
          th { background: #f0f0f0; }
          h2 { margin-top: 1.2em; }
          .muted { color: #777; }
        </style>
        </head>
        <body>
        <h1>Xoscar pools</h1>
        <p class="muted"><a href="./">Orleans Dashboard</a> · refreshed every 2 s</p>
        <h2>Pools</h2>
        <table id="pools"><thead><tr><th>Address</th><th>Index</th><th>Label</th><th>Role</th><th>PID</th><th>Pinned core</th><th>GPU device (memory, reservations)</th></tr></thead><tbody></tbody></table>
        <h2>Actors</h2>
        <div id="actors"></div>
        <h2>Latest pool events</h2>
        <table id="events"><thead><tr><th>Time (UTC)</th><th>Event</th><th>Pool</th><th>What happened</th><th>Cause</th></tr></thead><tbody></tbody></table>
        <script>
        const pages = {};   // per pool: the uid the page starts after ("" for the first)
        const text = v => v === null || v === undefined ? "" : String(v);
        function row(cells) {
          const tr = document.createElement("tr");
          for (const c of cells) { const td = document.createElement("td"); td.textContent = text(c); tr.appendChild(td); }
          return tr;
        }
        async function json(url) { const r = await fetch(url); if (!r.ok) throw new Error(url + ": " + r.status); return r.json(); }
        async function actorsOf(pool) {
          const after = pages[pool.address] || "";
          const page = await json("xoscar/actors?pool=" + encodeURIComponent(pool.address) + (after ? "&after=" + encodeURIComponent(after) : ""));
          const section = document.createElement("section");
          section.dataset.pool = pool.address;
          const title = document.createElement("h3");
          title.textContent = pool.address + " (" + pool.role + " pool " + pool.index + "): " + page.total + " actors";
          section.appendChild(title);
          const table = document.createElement("table");
          table.className = "actors";
          table.innerHTML = "<thead><tr><th>Uid</th><th>Class</th></tr></thead>";
          const body = document.createElement("tbody");
          for (const a of page.actors) body.appendChild(row([a.uid, a.class]));
          table.appendChild(body);
          section.appendChild(table);
          const nav = document.createElement("p");
          if (after) { const first = document.createElement("button"); first.textContent = "First page"; first.onclick = () => { pages[pool.address] = ""; refresh(); }; nav.appendChild(first); }
          if (page.actors.length > 0 && page.total > page.actors.length) {
            const next = document.createElement("button");
            next.textContent = "Next page";
            next.onclick = () => { pages[pool.address] = page.actors[page.actors.length - 1].uid; refresh(); };
            nav.appendChild(next);
          }
          section.appendChild(nav);
          return section;
        }
        async function refresh() {
          try {
            const pools = await json("xoscar/pools");
            const poolRows = document.querySelector("#pools tbody");
            poolRows.replaceChildren(...pools.map(p => row([p.address, p.index, p.label, p.role, p.pid, p.core, p.gpu])));
            const sections = await Promise.all(pools.map(actorsOf));
            document.getElementById("actors").replaceChildren(...sections);
            const events = await json("xoscar/events");
            document.querySelector("#events tbody").replaceChildren(...events.map(e => row([e.time, e.kind, e.address, e.description, e.cause])));
            document.body.dataset.loaded = "true";
          } catch (e) {
            document.body.dataset.error = e.message;
          }
        }
        refresh();
        setInterval(refresh, 2000);
        </script>
        </body>
        </html>
        """;
}
