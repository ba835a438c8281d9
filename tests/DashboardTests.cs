using System.Net;
using System.Text.Json;
using Xoscar.Orleans.Dashboard;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>The Orleans Dashboard served from a pool shows the pool and profiles its actors' calls.</summary>
public sealed class DashboardTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_pool_serves_the_dashboard_which_shows_its_actor_classes_and_their_calls()
    {
        await using var pool = await EmbeddedActorPool.StartAsync(
            new EmbeddedPoolOptions { ClusterId = "dashboard-test" }.UseDashboard("http://127.0.0.1:0", o => o.CounterUpdateIntervalMs = 100));
        using var http = new HttpClient { BaseAddress = new Uri(Assert.Single(DashboardPoolExtensions.DashboardUrls(pool.Services))) };
        var counter = await pool.Context.CreateActorAsync<Counter, ICounter>([0], "dashboard-counter");

        var page = await http.GetAsync("/");   // on loopback: no token needed
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Orleans Dashboard", await page.Content.ReadAsStringAsync());
        // Calls are profiled once someone reads the dashboard (as a browser on the page does), so keep calling meanwhile.
        var stats = await WaitForCountersAsync(http, () => counter.Add(1), counters => GrainStats(counters).Any(s =>
            s.GetProperty("grainType").GetString() == typeof(Counter).FullName && s.GetProperty("totalCalls").GetInt64() > 0));
        Assert.Contains(pool.Address, stats.GetProperty("hosts").GetRawText());
    }

    [Fact]
    public async Task The_main_pool_serves_the_dashboard_for_every_pool_process()
    {
        await using var pool = await ActorPool.CreateAsync(
            new ActorPoolOptions { SubPools = 1, ClusterId = "dashboard-pools-test" }.UseDashboard("http://127.0.0.1:0", o => o.CounterUpdateIntervalMs = 100));
        using var http = new HttpClient { BaseAddress = new Uri(Assert.Single(DashboardPoolExtensions.DashboardUrls(pool.Services))) };
        var counter = await pool.Context.CreateActorAsync<Counter, ICounter>([0], "sub-pool-counter", pool.Addresses[1]);

        // The sub pool profiles its actors' calls too and reports them to the dashboard.
        var stats = await WaitForCountersAsync(http, () => counter.Add(1), counters => GrainStats(counters).Any(s =>
            s.GetProperty("grainType").GetString() == typeof(Counter).FullName && s.GetProperty("siloAddress").GetString()!.StartsWith(pool.Addresses[1])
            && s.GetProperty("totalCalls").GetInt64() > 0));

        var hosts = stats.GetProperty("hosts").GetRawText();
        Assert.All(pool.Addresses, address => Assert.Contains(address, hosts));
    }

    [Fact]
    public async Task A_dashboard_bound_off_loopback_answers_only_requests_carrying_the_clusters_secret()
    {
        const string secret = "dashboard-test-secret-5b1e0c7d";
        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "dashboard-token-test", Secret = secret }.UseDashboard("http://0.0.0.0:0"));
        var port = new Uri(Assert.Single(DashboardPoolExtensions.DashboardUrls(pool.Services))).Port;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var without = await http.GetAsync("/");
        var wrong = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Authorization", "Bearer not-the-secret-at-all" } } });
        var with = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Authorization", "Bearer " + secret } } });

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("Bearer", without.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Contains("Orleans Dashboard", await with.Content.ReadAsStringAsync());
    }

    [Fact]
    public void A_dashboard_url_that_is_not_http_is_refused_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new EmbeddedPoolOptions().UseDashboard("127.0.0.1:8080"));

        Assert.Contains("'127.0.0.1:8080'", error.Message);
    }

    private static IEnumerable<JsonElement> GrainStats(JsonElement counters) => counters.GetProperty("simpleGrainStats").EnumerateArray();

    // The dashboard samples its counters on a timer: read them until they show what the calls made.
    private static async Task<JsonElement> WaitForCountersAsync(HttpClient http, Func<Task> call, Func<JsonElement, bool> shows)
    {
        var until = DateTime.UtcNow + Bound;
        var last = "";
        while (DateTime.UtcNow < until)
        {
            await call();
            last = await http.GetStringAsync("/DashboardCounters");
            var counters = JsonDocument.Parse(last).RootElement;
            if (shows(counters)) return counters;
            await Task.Delay(100);
        }

        throw new TimeoutException($"The dashboard's counters did not show the calls within {Bound}: {last}");
    }
}
