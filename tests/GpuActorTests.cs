using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class GpuActorTests(GpuClusterFixture fixture) : GpuClusterTest(fixture)
{
    [Fact]
    public async Task GPU_actor_runs_a_SAXPY_kernel_that_matches_the_CPU_reference()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);
        var x = Ramp(1024, 0.5f);
        var y = Ramp(1024, -0.25f).Select(v => v + 3f).ToArray();

        var result = await worker.Saxpy(2.5f, x, y);

        var expected = x.Zip(y, (xi, yi) => 2.5f * xi + yi).ToArray();
        Assert.Equal(expected.Length, result.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], result[i], 1e-4f);
        Assert.Contains(result, v => v != 0f);
    }

    [Fact]
    public async Task A_kernel_is_compiled_once_per_pool_and_served_from_the_cache_afterwards()
    {
        var a = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);
        var b = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);
        var c = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1);
        var (pool0, pool1) = (Fixture.Gpu(0).Kernels, Fixture.Gpu(1).Kernels);
        var (compiled0, hits0, compiled1) = (pool0.Compiled, pool0.Hits, pool1.Compiled);

        Assert.Equal(new[] { 2f, 3f }, await a.AddScalar([1f, 2f], 1f));
        Assert.Equal(new[] { 3f, 4f }, await b.AddScalar([1f, 2f], 2f));
        Assert.Equal(new[] { 4f, 5f }, await a.AddScalar([1f, 2f], 3f));
        Assert.Equal(new[] { 5f, 6f }, await c.AddScalar([1f, 2f], 4f));

        Assert.Equal(compiled0 + 1, pool0.Compiled);
        Assert.Equal(hits0 + 2, pool0.Hits);
        Assert.Equal(compiled1 + 1, pool1.Compiled);
    }

    [Fact]
    public async Task Actors_of_one_pool_launch_kernels_concurrently_on_its_single_accelerator()
    {
        var workers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1)));
        var x = Ramp(2048, 0.01f);

        var results = await Task.WhenAll(workers.Select((w, i) => w.Saxpy(i + 1, x, x)));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(x.Select(v => (i + 1) * v + v), results[i], (e, a) => Math.Abs(e - a) <= 1e-4f * Math.Abs(e));
        }
    }
}
