using Xoscar.Orleans.Testing;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// The testing package's fixtures, used as xunit uses them (started, shared, disposed): a pool whose logs go to the
/// output of the test running as they are logged, and a pool of processes that leaves none behind.
/// </summary>
public sealed class TestingFixtureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_embedded_pool_fixture_writes_what_its_pool_logs_to_the_output_of_the_test_running_then()
    {
        var fixture = new EmbeddedPoolFixture();
        await fixture.InitializeAsync();
        try
        {
            var gate = await fixture.Context.CreateActorAsync<Gate, IGate>(null, "logging-gate");
            var first = new RecordingOutput();
            var second = new RecordingOutput();

            using (var logs = fixture.Logs.Capture(first))
            {
                var logged = fixture.Logs.WaitForNewAsync(line => line.Contains("first test's failure"));
                await gate.Tell(g => g.Fail("first test's failure"));
                await logged.WaitAsync(Bound);
                Assert.Contains(logs.Entries, e => e.Exception?.Message == "first test's failure");
            }

            using (fixture.Logs.Capture(second))
            {
                var logged = fixture.Logs.WaitForNewAsync(line => line.Contains("second test's failure"));
                await gate.Tell(g => g.Fail("second test's failure"));
                await logged.WaitAsync(Bound);
            }

            Assert.Contains(first.Lines, l => l.Contains("first test's failure") && l.Contains("[1001]"));
            Assert.DoesNotContain(first.Lines, l => l.Contains("second test's failure"));
            Assert.Contains(second.Lines, l => l.Contains("second test's failure"));
            Assert.DoesNotContain(second.Lines, l => l.Contains("first test's failure"));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_actor_pool_fixture_runs_actors_in_sub_pool_processes_and_leaves_no_process_or_file_behind()
    {
        var fixture = new ActorPoolFixture();
        await fixture.InitializeAsync();
        var processes = fixture.Pool.SubPoolProcessIds;
        var connectionFile = fixture.Pool.ConnectionFile;
        try
        {
            var probe = await fixture.Context.CreateActorAsync<ProcessProbe, IProcessProbe>(address: fixture.Pool.Addresses[1]);
            Assert.Equal(processes.Single(), await probe.ProcessId());
        }
        finally
        {
            await fixture.DisposeAsync();
        }

        Assert.All(processes, pid => Assert.True(ProcessCleanup.HasEnded(pid), $"sub pool process {pid} still runs"));
        Assert.False(File.Exists(connectionFile));
    }

    /// <summary>A test's output, as xunit keeps it.</summary>
    private sealed class RecordingOutput : ITestOutputHelper
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines) return _lines.ToArray();
            }
        }

        public void WriteLine(string message)
        {
            lock (_lines) _lines.Add(message);
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(format, args));
    }
}
