using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Streams;
using Xoscar.Orleans.Silo.Runtime;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// A pool's events are not lost to a stream that fails for a while (a pool that joined another can publish before the
/// cluster lists the hub's stream grains): the batch is kept and sent again, in order.
/// </summary>
public sealed class PoolEventRetryTests
{
    [Fact]
    public async Task A_batch_the_stream_refuses_at_first_is_sent_again_and_arrives_whole_and_in_order()
    {
        var stream = FlakyStream.Create(failures: 3);
        var services = new ServiceCollection()
            .AddKeyedSingleton<IStreamProvider>(PoolEventStream.ProviderName, new OneStreamProvider(stream))
            .BuildServiceProvider();
        var log = new PoolEventLog(services, NullLogger<PoolEventLog>.Instance);
        await log.Start(CancellationToken.None);
        try
        {
            for (var i = 0; i < 10; i++) log.Publish(new PoolEvent(PoolEventKind.SlowCall, DateTime.UtcNow, "127.0.0.1:1", $"event {i}", Uid: $"e{i}"));
            var received = await ((FlakyStream)(object)stream).Received.Task.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(3, ((FlakyStream)(object)stream).Refused);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"e{i}"), received.Select(e => e.Uid));
        }
        finally
        {
            await log.Stop(CancellationToken.None);
        }
    }

    private sealed class OneStreamProvider(IAsyncStream<PoolEvent> stream) : IStreamProvider
    {
        public string Name => PoolEventStream.ProviderName;

        public bool IsRewindable => false;

        public IAsyncStream<T> GetStream<T>(StreamId streamId) => (IAsyncStream<T>)stream;
    }

    /// <summary>A stream whose first batches fail; it collects the events of the batches it takes until it has ten.</summary>
    public class FlakyStream : DispatchProxy
    {
        private int _failures;
        private readonly List<PoolEvent> _taken = [];

        public int Refused { get; private set; }

        public TaskCompletionSource<List<PoolEvent>> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static IAsyncStream<PoolEvent> Create(int failures)
        {
            var stream = Create<IAsyncStream<PoolEvent>, FlakyStream>();
            ((FlakyStream)(object)stream)._failures = failures;
            return stream;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method?.Name != nameof(IAsyncStream<PoolEvent>.OnNextBatchAsync)) throw new NotSupportedException(method?.Name);
            if (Refused < _failures)
            {
                Refused++;
                return Task.FromException(new InvalidOperationException("Could not find an implementation for interface IMemoryStreamQueueGrain"));
            }

            _taken.AddRange((IEnumerable<PoolEvent>)args![0]!);
            if (_taken.Count >= 10) Received.TrySetResult([.. _taken]);
            return Task.CompletedTask;
        }
    }
}
