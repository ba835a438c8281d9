using Xoscar.Orleans.Tests.Infrastructure;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Silo.Runtime;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>A pool gives back what glibc's allocator holds free, so that native churn does not grow its resident set.</summary>
public sealed class NativeHeapTrimTests
{
    private const int Page = 4096;
    private const int BlockSize = 64 * 1024;   // under glibc's mmap threshold: served from an arena
    private const int Blocks = 64;

    [GlibcFact]
    public async Task Native_memory_freed_in_the_middle_of_an_arena_is_no_longer_resident_after_the_pools_next_trim()
    {
        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions
        {
            ClusterId = "native-heap-trim", Configure = o => o.NativeHeapTrimInterval = TimeSpan.FromMilliseconds(200),
        });
        var trim = pool.Services.GetRequiredService<NativeHeapTrim>();
        var blocks = Enumerable.Range(0, Blocks).Select(_ => Marshal.AllocHGlobal(BlockSize)).ToArray();
        var above = Marshal.AllocHGlobal(BlockSize);   // holds the arena's top: glibc alone would keep the freed blocks
        try
        {
            var ones = Enumerable.Repeat((byte)1, BlockSize).ToArray();
            foreach (var block in blocks) Marshal.Copy(ones, 0, block, BlockSize);
            var passes = trim.Passes;
            foreach (var block in blocks) Marshal.FreeHGlobal(block);
            var residentAfterFree = ResidentPages(blocks);

            var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (trim.Passes < passes + 2)   // a whole pass after the frees
            {
                Assert.True(DateTime.UtcNow < until, "The pool made no trim in 30 s.");
                await Task.Delay(50);
            }

            var (resident, total) = ResidentPages(blocks);
            Assert.True(residentAfterFree.Resident > residentAfterFree.Total * 9 / 10, $"glibc gave back the freed blocks by itself ({residentAfterFree.Resident} of {residentAfterFree.Total} pages resident)");
            Assert.True(resident < total / 10, $"{resident} of {total} freed pages are still resident after the trim");
        }
        finally
        {
            Marshal.FreeHGlobal(above);
        }
    }

    // The pages lying wholly inside the blocks, and how many of them are in memory.
    private static (int Resident, int Total) ResidentPages(IEnumerable<nint> blocks)
    {
        var (resident, total) = (0, 0);
        foreach (var block in blocks)
        {
            var first = (block + Page - 1) / Page * Page + Page;   // past the page holding the allocator's own header
            var end = (block + BlockSize) / Page * Page;
            var vector = new byte[(end - first) / Page];
            Assert.Equal(0, MinCore(first, (nuint)(end - first), vector));
            total += vector.Length;
            resident += vector.Count(v => (v & 1) != 0);
        }

        return (resident, total);
    }

    [DllImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static extern int MinCore(nint address, nuint length, byte[] vector);

    /// <summary>Runs where the process's C library is glibc, which a pool can trim; skipped, saying why, elsewhere.</summary>
    private sealed class GlibcFactAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
        : ConditionalFactAttribute(NativeHeapTrim.Supported ? null : "This process's C library is not glibc (no malloc_trim), so pools do not trim it.", test, file);
}
