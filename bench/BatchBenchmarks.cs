namespace Xoscar.Orleans.Bench;

/// <summary>
/// 1000 delayed calls sent as one batch to an actor in the second pool, vs the same 1000 calls sent one by one
/// (<c>batch1000_vs_seq</c>) and all at once (<c>batch1000_vs_conc</c>).
/// </summary>
public sealed class BatchBenchmarks(IActorContext context, string pool, Measurement measure)
{
    private const int BatchSize = 1000;

    public async IAsyncEnumerable<BenchRow?> RunAsync()
    {
        var actor = await context.CreateActorAsync<BenchCounter, IBenchCounter>(address: pool);

        yield return await measure.CompareAsync("batch1000_vs_seq", "calls/s",
            () => BatchAsync(actor),
            async () => BatchSize * await measure.SequentialAsync(async () =>
            {
                for (var i = 0; i < BatchSize; i++) await actor.Add(1);
            }));

        yield return await measure.CompareAsync("batch1000_vs_conc", "calls/s",
            () => BatchAsync(actor),
            async () => BatchSize * await measure.SequentialAsync(() => Task.WhenAll(Enumerable.Range(0, BatchSize).Select(_ => actor.Add(1)))));
    }

    // The delayed calls are built inside the timed loop: building them is part of what a batch costs its caller.
    private async Task<double> BatchAsync(IBenchCounter actor) =>
        BatchSize * await measure.SequentialAsync(() => actor.Batch(Enumerable.Range(0, BatchSize).Select(_ => actor.Delay(a => a.Add(1))).ToList()));
}
