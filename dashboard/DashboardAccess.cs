using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Xoscar.Orleans.Dashboard;

/// <summary>
/// Who may read the dashboard. Bound to loopback (<c>127.0.0.1</c>, <c>[::1]</c>, <c>localhost</c>), anyone who reaches
/// it: only processes of this machine can. Bound to any other address, only requests that carry the cluster's secret
/// as a bearer token (<c>Authorization: Bearer &lt;secret&gt;</c>); others get 401.
/// </summary>
internal static class DashboardAccess
{
    private const string Scheme = "Bearer ";

    /// <summary>Puts the check in front of the dashboard served at <paramref name="url"/>, where it is off loopback.</summary>
    public static IApplicationBuilder UseDashboardAccess(this IApplicationBuilder app, Uri url)
    {
        if (url.IsLoopback) return app;
        // The pool's secret (given or generated), the one its connection file holds.
        var secret = app.ApplicationServices.GetRequiredService<IOptions<XoscarOptions>>().Value.ClusterSecret
            ?? throw new InvalidOperationException($"The dashboard at {url} is off loopback and needs the cluster's secret, which this pool has not.");
        var expected = Encoding.UTF8.GetBytes(Scheme + secret);
        return app.Use(next => context => Carries(context.Request, expected) ? next(context) : Refuse(context.Response));
    }

    // Compared in constant time: how long a refusal takes tells nothing of the secret.
    private static bool Carries(HttpRequest request, byte[] expected) =>
        request.Headers.Authorization is { Count: 1 } given && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given[0] ?? ""), expected);

    private static Task Refuse(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer realm=\"xoscar-dashboard\"";
        return response.WriteAsync("This dashboard is served off loopback: send the cluster's secret (its pool's connection file holds it) as 'Authorization: Bearer <secret>'.");
    }
}
