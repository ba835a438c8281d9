using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Dashboard;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Silo.Runtime;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>An actor pool of two processes serving the dashboard, with actors in both pools.</summary>
public sealed class XoscarPageFixture : IAsyncLifetime
{
    public ActorPool Pool { get; private set; } = null!;

    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Pool = await ActorPool.CreateAsync(new ActorPoolOptions
        {
            SubPools = 1, ClusterId = "xoscar-page-test", Labels = ["front", "worker"], Cores = [0],
        }.UseDashboard("http://127.0.0.1:0"));
        Url = Assert.Single(DashboardPoolExtensions.DashboardUrls(Pool.Services));
        foreach (var uid in new[] { "page-c", "page-a", "page-b" }) await Pool.Context.CreateActorAsync<Counter, ICounter>([0], uid, Pool.Addresses[1]);
        await Pool.Context.CreateActorAsync<Traced, ITraced>(uid: "page-main");
    }

    public async Task DisposeAsync() => await ProcessCleanup.StopAsync(Pool);
}

/// <summary>The dashboard's Xoscar page, as a person sees it in a browser, and the pages of actors it reads.</summary>
public sealed partial class XoscarPageTests(XoscarPageFixture fixture) : IClassFixture<XoscarPageFixture>
{
    private ActorPool Pool => fixture.Pool;

    [ChromiumFact]
    public async Task The_page_shows_every_pool_with_its_label_role_process_and_core_its_actors_by_uid_and_class_and_the_latest_events()
    {
        await WaitForEventAsync("page-main");   // the last actor created: its event is the last one to reach the main pool

        var html = await HeadlessChromium.RenderAsync(fixture.Url + "/xoscar", TimeSpan.FromSeconds(5));

        Assert.DoesNotMatch("data-error=", html);
        var pools = Rows(Between(html, "id=\"pools\"", "</table>"));
        Assert.Contains([Pool.Address, "0", "front", "main", Environment.ProcessId.ToString(), "", ""], pools);
        Assert.Contains([Pool.Addresses[1], "1", "worker", "sub", Pool.SubPoolProcessIds[0].ToString(), "0", ""], pools);
        Assert.Equal([["page-a", "Counter"], ["page-b", "Counter"], ["page-c", "Counter"]], Rows(Between(html, $"data-pool=\"{Pool.Addresses[1]}\"", "</section>")));
        Assert.Contains(["page-main", "Traced"], Rows(Between(html, $"data-pool=\"{Pool.Address}\"", "</section>")));
        var events = Rows(Between(html, "id=\"events\"", "</table>"));
        Assert.Contains(events, e => e[1] == "ActorCreated" && e[2] == Pool.Addresses[1] && e[3].Contains("'page-a' (Counter)"));
        Assert.Contains(events, e => e[1] == "PoolStarted" && e[2] == Pool.Addresses[1]);
    }

    [Fact]
    public async Task A_pools_actors_are_listed_a_page_at_a_time_in_uid_order_from_its_registry()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Url) };
        var sub = WebUtility.UrlEncode(Pool.Addresses[1]);

        var first = JsonDocument.Parse(await http.GetStringAsync($"/xoscar/actors?pool={sub}&take=2")).RootElement;
        var rest = JsonDocument.Parse(await http.GetStringAsync($"/xoscar/actors?pool={sub}&take=2&after=page-b")).RootElement;

        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal(["page-a", "page-b"], first.GetProperty("actors").EnumerateArray().Select(a => a.GetProperty("uid").GetString()));
        Assert.Equal(["page-c"], rest.GetProperty("actors").EnumerateArray().Select(a => a.GetProperty("uid").GetString()));
    }

    [Fact]
    public async Task Actors_of_an_address_that_is_no_pool_of_the_cluster_are_not_found_naming_the_address()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Url) };

        var response = await http.GetAsync("/xoscar/actors?pool=127.0.0.1:1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'127.0.0.1:1'", await response.Content.ReadAsStringAsync());
    }

    private async Task WaitForEventAsync(string uid)
    {
        var events = Pool.Services.GetRequiredService<PoolEventLog>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!events.Latest(PoolEventLog.Kept).Any(e => e.Uid == uid))
        {
            Assert.True(DateTime.UtcNow < until, $"The event of actor '{uid}' did not reach the main pool.");
            await Task.Delay(20);
        }
    }

    private static string Between(string html, string start, string end)
    {
        var from = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"The page has no {start}: {html}");
        var to = html.IndexOf(end, from, StringComparison.Ordinal);
        return html[from..(to < 0 ? html.Length : to)];
    }

    // The text of each body row's cells, as shown.
    private static List<string[]> Rows(string html) =>
        RowPattern().Matches(html).Select(row => CellPattern().Matches(row.Value).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray())
            .Where(cells => cells.Length > 0).ToList();

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<td>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();
}
