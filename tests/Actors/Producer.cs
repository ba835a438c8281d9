using System.Runtime.CompilerServices;

namespace Xoscar.Orleans.Tests.Actors;

/// <summary>Streaming methods (Xoscar's @xo.generator): sync and async producers, nested, failing.</summary>
public interface IProducer : IActor
{
    IAsyncEnumerable<int> Count(int n);
    IAsyncEnumerable<int> CountSlowly(int n, int delayMs, CancellationToken cancellationToken = default);
    IAsyncEnumerable<int> Relay(IProducer other, int n);
    IAsyncEnumerable<int> FailAfter(int n);
    [NoLock] Task<int> LiveProducers();
    [NoLock] Task WhileStepping();
    Task<bool> Touch();
}

public sealed class Producer : Actor, IProducer
{
    private int _live;
    private bool _inStep;
    private TaskCompletionSource _stepping = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async IAsyncEnumerable<int> Count(int n)
    {
        _live++;
        try
        {
            for (var i = 0; i < n; i++) yield return i;
        }
        finally
        {
            _live--;
        }
    }

    public async IAsyncEnumerable<int> CountSlowly(int n, int delayMs, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _live++;
        try
        {
            for (var i = 0; i < n; i++)
            {
                _inStep = true;
                _stepping.TrySetResult();
                await Task.Delay(delayMs, cancellationToken);
                _inStep = false;
                _stepping = new(TaskCreationOptions.RunContinuationsAsynchronously);
                yield return i;
            }
        }
        finally
        {
            _inStep = false;
            _live--;
        }
    }

    public async IAsyncEnumerable<int> Relay(IProducer other, int n)
    {
        await foreach (var item in other.CountSlowly(n, 1)) yield return item * 10;
    }

    public async IAsyncEnumerable<int> FailAfter(int n)
    {
        _live++;
        try
        {
            for (var i = 0; i < n; i++)
            {
                await Task.Yield();
                yield return i;
            }

            throw new InvalidOperationException("stream broke");
        }
        finally
        {
            _live--;
        }
    }

    public Task<int> LiveProducers() => Task.FromResult(_live);

    public Task WhileStepping() => _stepping.Task;

    public Task<bool> Touch() => Task.FromResult(_inStep);
}
