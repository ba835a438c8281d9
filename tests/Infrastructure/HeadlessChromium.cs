using System.Runtime.CompilerServices;
using System.Diagnostics;
using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, as a person's browser: loads a page, runs its scripts, and returns the document as it
/// then stands. <c>.ci/run</c> installs it where it is missing.
/// </summary>
public static class HeadlessChromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    /// <summary>Why browser tests cannot run here, or null where they can.</summary>
    public static string? Missing { get; } = Candidates.Any(File.Exists)
        ? null
        : "Chromium is not installed (Debian's package chromium; .ci/run installs it), so the page cannot be driven in a browser.";

    /// <summary>
    /// The document of <paramref name="url"/> after its scripts ran for up to <paramref name="scriptTime"/> of the browser's
    /// virtual time (which waits for the page's own requests).
    /// </summary>
    public static async Task<string> RenderAsync(string url, TimeSpan scriptTime)
    {
        var profile = Directory.CreateTempSubdirectory("xoscar-chromium-");
        try
        {
            var start = new ProcessStartInfo(Candidates.First(File.Exists)) { RedirectStandardOutput = true, RedirectStandardError = true };
            // The flags this machine's closed network needs, a fresh profile, and root's lack of a sandbox.
            foreach (var flag in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.FullName,
                         "--virtual-time-budget=" + (int)scriptTime.TotalMilliseconds, "--dump-dom", url,
                     })
            {
                start.ArgumentList.Add(flag);
            }

            using var browser = Process.Start(start)!;
            var dom = browser.StandardOutput.ReadToEndAsync();
            var errors = browser.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await browser.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                browser.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not render {url} within 60 s: {await errors}");
            }

            var html = await dom;
            Assert.True(html.Length > 0, $"Chromium rendered nothing for {url} (exit code {browser.ExitCode}): {await errors}");
            return html;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}

/// <summary>A test that drives a page in headless Chromium: skipped, with the reason shown, where Chromium is not installed.</summary>
public sealed class ChromiumFactAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    : ConditionalFactAttribute(HeadlessChromium.Missing, test, file);
